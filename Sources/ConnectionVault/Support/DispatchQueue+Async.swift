import Dispatch

extension DispatchQueue {
    /// Runs blocking `body` on this queue, off Swift's cooperative pool, and awaits its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            self.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
