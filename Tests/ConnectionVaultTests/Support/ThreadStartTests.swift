import CThreads
import Foundation
import Synchronization
import Testing

@Suite("Starting a thread beside the caller")
struct ThreadStartTests {
    /// What the started thread saw: the CPU it first ran on, and how many CPUs it may run on by then.
    private static let seen = Mutex<(cpu: Int32, allowed: Int32)?>(nil)

    @Test(.enabled(if: cv_thread_allowed_cpus() > 1, "needs a second CPU"))
    func theThreadStartsOnAnotherCPUAndMayThenRunOnAll() throws {
        let allowedHere = cv_thread_allowed_cpus()
        var thread = pthread_t()
        let here = cv_thread_current_cpu()
        let made = cv_thread_start_beside(&thread, { _ in
            ThreadStartTests.seen.withLock { $0 = (cv_thread_current_cpu(), cv_thread_allowed_cpus()) }
            return nil
        }, nil)
        #expect(made == 0)
        pthread_join(thread, nil)
        let seen = try #require(Self.seen.withLock { $0 })
        #expect(seen.cpu != here)
        #expect(seen.allowed == allowedHere)
    }
}
