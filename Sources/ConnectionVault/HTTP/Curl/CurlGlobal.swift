internal import CCurl
internal import CThreads
import Dispatch
import Foundation
import Synchronization

/// libcurl's process-wide setup, run once before any handle is made.
enum CurlGlobal {
    /// `curl_global_init`'s result, computed once (Swift runs a `static let` initialiser exactly once).
    private static let initialized: Bool = curl_global_init(cv_curl_global_default()) == CURLE_OK

    /// Entered while ``initializeInBackground()``'s thread loads libcurl, left when it is done.
    ///
    /// A thread that needs libcurl meanwhile sleeps here. Waiting on the `static let` itself would spin: Swift's
    /// one-time initialisation waits on a priority-inheritance futex, and the kernel spins a waiter while the owner
    /// runs — the whole 5–10 ms of the load, on the core the load needs (1.3 ms of CPU in some revalidations of
    /// 1,000, from the thread starting the engines).
    private static let backgroundLoad = DispatchGroup()

    /// The background load: not started, or its thread, until ``waitForBackgroundWork()`` joins it.
    private enum Load {
        case notStarted
        case running(pthread_t?)
        case joined
    }

    private static let load = Mutex(Load.notStarted)

    /// Entered while a thread of libcurl's own starts (engine threads being made, see `EngineStart`), left when it
    /// is done: ``waitForBackgroundWork()`` waits for these too.
    static let starts = DispatchGroup()

    /// Runs `curl_global_init` if it has not run yet; a failure there is a broken installation.
    static func ensureInitialized() {
        backgroundLoad.wait()  // returns at once when no background load is running
        precondition(initialized, "curl_global_init failed")
    }

    /// Returns once the background load and any engine start in progress are done, and the loading thread has
    /// ended (it is joined): the process may exit then. Returns at once when nothing was started.
    static func waitForBackgroundWork() {
        let thread = load.withLock { load -> pthread_t? in
            guard case .running(let thread) = load else { return nil }
            load = .joined
            return thread
        }
        // The thread's own end (its thread-local cleanup, libcrypto's among it) must not overlap exit's.
        if let thread { pthread_join(thread, nil) }
        backgroundLoad.wait()
        starts.wait()
    }

    /// Loads libcurl (and its 30 libraries) and runs its setup on a new thread: whatever the caller does meanwhile
    /// overlaps it, and the first request finds it done (or sleeps until it is). Calls after the first do nothing.
    static func initializeInBackground() {
        load.withLock { load in
            guard case .notStarted = load else { return }
            // Entered under the lock: a caller that finds the load started also finds the group entered.
            backgroundLoad.enter()
            // A plain POSIX thread: Foundation's `Thread` made a helper thread of its own first, and the load then
            // started up to 2 ms later. It starts on another CPU than the caller's: Linux may put a new thread on
            // its creator's CPU, and under `revalidate`'s SCHED_BATCH it then waited there until the main thread slept
            // (its load began 1.8–2.7 ms late in six runs of eight) while the other CPU idled.
            var thread = pthread_t()
            let made = cv_thread_start_beside(&thread, { _ in
                CurlGlobal.finishBackgroundLoad()
                return nil
            }, nil)
            load = .running(made == 0 ? thread : nil)
            if made != 0 { finishBackgroundLoad() }  // no thread to spare: load here
        }
    }

    private static func finishBackgroundLoad() {
        precondition(initialized, "curl_global_init failed")
        backgroundLoad.leave()
    }
}
