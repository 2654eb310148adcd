import Foundation

/// Timestamps are stored as integer milliseconds since the Unix epoch.
extension Date {
    var storedMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(storedMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(storedMilliseconds) / 1000)
    }
}

extension Statement {
    func date(_ column: Int32) -> Date { Date(storedMilliseconds: int64(column)) }

    func optionalDate(_ column: Int32) -> Date? { optionalInt64(column).map(Date.init(storedMilliseconds:)) }
}
