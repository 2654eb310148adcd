// The HTTP layer in one page (connection-spec §3, §7, §10):
// - `HTTPRequest` in, `HTTPResponse` out, `HTTPError` for everything that is not a response. A 4xx/5xx is a
//   response, not an error; deciding outcomes is the executor's job.
// - `URLPolicy` judges every URL (libcurl's own parser, no name lookup) before anything is sent;
//   `URLPolicy.violation(of:)` is the import-time check of a template-free `url`. The client remembers the last
//   first-hop URL it checked (`CheckedURLCache`, only URLs without query or user information), so many requests
//   to one URL are parsed once.
// - `HTTPExchange` follows redirects (≤ 10, each re-checked), strips credentials on the first cross-origin hop,
//   applies Basic, answers Digest challenges (`DigestChallenge`, `DigestSession`) and keeps the time budget.
// - `CurlEngine` runs each hop on a libcurl easy handle inside one multi handle on its own thread, with at most
//   `maxConcurrentRequests` transfers at once. Handles are reused per origin (reset and configured afresh for
//   every hop, so nothing of one request reaches the next); the multi handle shares keep-alive connections.
//   `CurlEasy` enforces the decoded-size cap while receiving; response heads are parsed on the caller's task.

/// Sends requests and returns their final responses, applying the HTTP rules of connection-spec §10.
///
/// The executor talks to this protocol; ``CurlHTTPClient`` is the implementation used everywhere, another
/// transport can stand in for it in tests. Errors are typed: every failure is an ``HTTPError`` (cancellation
/// included, as ``HTTPError/cancelled``).
package protocol HTTPClient: Sendable {
    /// Sends `request`, following redirects and answering Digest challenges as the request allows.
    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse
}

/// Client-wide settings: the URL policy, limits shared by every request, and the concurrency bound.
package struct HTTPClientConfiguration: Sendable, Hashable {
    /// The scheme and host rules; plain http beyond loopback only when the vault is configured so.
    package var urlPolicy: URLPolicy
    /// The most redirects one request follows: 10.
    package var maxRedirects: Int
    /// The most transfers in flight at once across every request of this client; more wait their turn.
    package var maxConcurrentRequests: Int
    /// Sent as `User-Agent` unless a request sets its own; `nil` sends none.
    package var userAgent: String?
    /// The system CA bundle a request's extra `ca` is added to; `nil` uses libcurl's built-in path.
    package var caBundlePath: String?

    package init(
        urlPolicy: URLPolicy = URLPolicy(), maxRedirects: Int = 10, maxConcurrentRequests: Int = 32,
        userAgent: String? = "connvault", caBundlePath: String? = nil
    ) {
        self.urlPolicy = urlPolicy
        self.maxRedirects = maxRedirects
        self.maxConcurrentRequests = maxConcurrentRequests
        self.userAgent = userAgent
        self.caBundlePath = caBundlePath
    }
}

/// The libcurl client: one engine thread running the multi interface, bounded concurrency, and the
/// redirect, credential and Digest rules in ``HTTPExchange``.
///
/// Create one per vault and share it; requests from many tasks run concurrently up to
/// ``HTTPClientConfiguration/maxConcurrentRequests``. Dropping the client cancels whatever is still running.
package final class CurlHTTPClient: HTTPClient {
    package let configuration: HTTPClientConfiguration
    private let engine: CurlEngine
    private let checkedURLs = CheckedURLCache()

    package init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
        engine = CurlEngine(
            maxConcurrent: configuration.maxConcurrentRequests, userAgent: configuration.userAgent,
            trustBundle: TrustBundle(path: configuration.caBundlePath))
    }

    deinit { engine.shutdown() }

    /// How many libcurl easy handles this client has created, and how many hops ran on a reused one.
    var transferHandleCounts: (created: Int, reused: Int) { engine.handleCounts }

    package func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let exchange = HTTPExchange(
            request: request, policy: configuration.urlPolicy, maxRedirects: configuration.maxRedirects,
            transport: engine, checkedURLs: checkedURLs)
        return try await exchange.run()
    }
}
