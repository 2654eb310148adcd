import Foundation

extension Vault {
    /// Runs blocking `body` off Swift's cooperative thread pool, on this vault's serial ``blockingQueue``, and
    /// awaits its result.
    ///
    /// Serial because the vault has one SQLite connection behind one mutex: blocks run one at a time anyway, and
    /// on a concurrent queue the second one blocked a thread on the mutex (a kernel wait, and dispatch starting
    /// more threads) instead of waiting its turn in the queue.
    func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await blockingQueue.run(body)
    }
}
