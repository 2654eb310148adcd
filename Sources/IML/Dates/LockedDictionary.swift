internal import Foundation
internal import Synchronization

/// A small thread-safe map of time zones by name (at most a few hundred entries).
final class LockedDictionary: Sendable {
    private let storage = Mutex<[String: TimeZone?]>([:])

    /// The cached entry: `nil` when unknown, `.some(nil)` for a name known to be invalid.
    func get(_ key: String) -> TimeZone?? {
        storage.withLock { $0[key] }
    }

    func set(_ key: String, _ value: TimeZone?) {
        storage.withLock { dictionary in
            if dictionary.count < 1024 { dictionary[key] = .some(value) }
        }
    }
}
