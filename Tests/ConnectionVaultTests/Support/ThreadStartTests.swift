import CThreads
import Foundation
import Synchronization
import Testing

@Suite("Starting a thread beside the caller")
struct ThreadStartTests {
    /// What the started thread saw: the caller's CPU it avoided, the CPU it started on, and how many CPUs it may run
    /// on once running.
    private static let seen = Mutex<(avoided: Int32, started: Int32, allowed: Int32)?>(nil)

    @Test(.enabled(if: cv_thread_allowed_cpus() > 1, "needs a second CPU"))
    func theThreadStartsOnAnotherCPUAndMayThenRunOnAll() throws {
        let allowedHere = cv_thread_allowed_cpus()
        var thread = pthread_t()
        let made = cv_thread_start_beside(&thread, { _ in
            var started: Int32 = -1
            let avoided = cv_thread_avoided_cpu(&started)
            ThreadStartTests.seen.withLock { $0 = (avoided, started, cv_thread_allowed_cpus()) }
            return nil
        }, nil)
        #expect(made == 0)
        pthread_join(thread, nil)
        let seen = try #require(Self.seen.withLock { $0 })
        #expect(seen.avoided >= 0 && seen.started >= 0)
        #expect(seen.started != seen.avoided)
        #expect(seen.allowed == allowedHere)
    }

    @Test func aPlainThreadAvoidedNothing() {
        var started: Int32 = 0
        #expect(cv_thread_avoided_cpu(&started) == -1)
        #expect(started == -1)
    }
}
