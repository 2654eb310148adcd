import Foundation

extension Vault {
    /// Threads for the vault's blocking work (SQLite, libsodium) when called from async code.
    private static let blockingQueue = DispatchQueue(label: "connvault.vault.blocking", attributes: .concurrent)

    /// Runs blocking `body` off Swift's cooperative thread pool and awaits its result.
    func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Self.blockingQueue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
