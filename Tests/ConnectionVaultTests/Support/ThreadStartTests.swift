import CThreads
import Foundation
import Synchronization
import Testing

@Suite("Starting a thread beside the caller")
struct ThreadStartTests {
    /// What the started thread saw: how many CPUs it may run on.
    private static let seen = Mutex<Int32?>(nil)

    @Test func theThreadMayRunEverywhereButOnTheCallersCPU() throws {
        let allowedHere = cv_thread_allowed_cpus()
        try #require(allowedHere > 0)
        var thread = pthread_t()
        let made = cv_thread_start_beside(&thread, { _ in
            ThreadStartTests.seen.withLock { $0 = cv_thread_allowed_cpus() }
            return nil
        }, nil)
        #expect(made == 0)
        pthread_join(thread, nil)
        let allowedThere = try #require(Self.seen.withLock { $0 })
        // One CPU fewer, unless the caller may use only one: then the thread is an ordinary one.
        #expect(allowedThere == (allowedHere > 1 ? allowedHere - 1 : allowedHere))
    }
}
