internal import CCurl
import Foundation

/// libcurl's process-wide setup, run once before any handle is made.
enum CurlGlobal {
    /// `curl_global_init`'s result, computed once (Swift runs a `static let` initialiser exactly once).
    private static let initialized: Bool = curl_global_init(cv_curl_global_default()) == CURLE_OK

    /// Runs `curl_global_init` if it has not run yet; a failure there is a broken installation.
    static func ensureInitialized() {
        precondition(initialized, "curl_global_init failed")
    }

    /// Loads libcurl (and its 30 libraries) and runs its setup on a new thread: whatever the caller does meanwhile
    /// overlaps it, and the first request finds it done (or waits for the rest of it).
    static func initializeInBackground() {
        Thread.detachNewThread { ensureInitialized() }
    }
}
