internal import CCurl
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
    /// Whether ``initializeInBackground()`` has run: the load is started once.
    private static let backgroundLoadStarted = Atomic<Bool>(false)

    /// Runs `curl_global_init` if it has not run yet; a failure there is a broken installation.
    static func ensureInitialized() {
        waitForBackgroundLoad()
        precondition(initialized, "curl_global_init failed")
    }

    /// Returns once a background load is done; at once when none is running.
    static func waitForBackgroundLoad() {
        backgroundLoad.wait()
    }

    /// Loads libcurl (and its 30 libraries) and runs its setup on a new thread: whatever the caller does meanwhile
    /// overlaps it, and the first request finds it done (or sleeps until it is). Calls after the first do nothing.
    static func initializeInBackground() {
        guard !backgroundLoadStarted.exchange(true, ordering: .acquiringAndReleasing) else { return }
        backgroundLoad.enter()
        // A plain POSIX thread: Foundation's `Thread` made a helper thread of its own first, and the load then
        // started up to 2 ms later.
        var thread = pthread_t()
        let made = pthread_create(&thread, nil, { _ in
            CurlGlobal.finishBackgroundLoad()
            return nil
        }, nil)
        if made == 0 {
            pthread_detach(thread)
        } else {
            finishBackgroundLoad()  // no thread to spare: load here
        }
    }

    private static func finishBackgroundLoad() {
        precondition(initialized, "curl_global_init failed")
        backgroundLoad.leave()
    }
}
