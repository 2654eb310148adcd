import Foundation
import Synchronization

// The HTTP layer in one page (connection-spec §3, §7, §10):
// - `HTTPRequest` in, `HTTPResponse` out, `HTTPError` for everything that is not a response. A 4xx/5xx is a
//   response, not an error; deciding outcomes is the executor's job.
// - `URLPolicy` judges every URL (libcurl's own parser, no name lookup) before anything is sent;
//   `URLPolicy.violation(of:)` is the import-time check of a template-free `url`. The client remembers the last
//   first-hop URL it checked (`CheckedURLCache`, only URLs without query or user information), so many requests
//   to one URL are parsed once.
// - `HTTPExchange` follows redirects (≤ 10, each re-checked), strips credentials on the first cross-origin hop,
//   applies Basic, answers Digest challenges (`DigestChallenge`, `DigestSession`) and keeps the time budget.
// - `CurlEngine` runs each hop on a libcurl easy handle inside one multi handle on its own thread. The client has
//   one engine per core (at most four, never more than the bound), each with its share of
//   `maxConcurrentRequests`; an exchange runs on the engine with the least work for its share. The engines
//   start with the first request or `startInBackground()` (`EngineStart`), on a thread of their own: making a
//   client never waits for libcurl. Handles are reused per origin (reset and configured afresh for every hop, so
//   nothing of one request reaches the next); each multi handle shares its keep-alive connections.
//   `CurlEasy` enforces the decoded-size cap while receiving; response heads are parsed on the caller's task.

/// Sends requests and returns their final responses, applying the HTTP rules of connection-spec §10.
///
/// The executor talks to this protocol; ``CurlHTTPClient`` is the implementation used everywhere, another
/// transport can stand in for it in tests. Errors are typed: every failure is an ``HTTPError`` (cancellation
/// included, as ``HTTPError/cancelled``).
package protocol HTTPClient: Sendable {
    /// Sends `request`, following redirects and answering Digest challenges as the request allows.
    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse

    /// Starts whatever the client starts at its first request now instead, in the background.
    func startInBackground()
}

extension HTTPClient {
    /// Nothing to start.
    package func startInBackground() {}
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
    /// How many libcurl threads (engines) share the transfers: one per core, at most four (never more than
    /// ``maxConcurrentRequests``). One thread running libcurl for every request was the revalidation's limit:
    /// on two cores, two engines made `revalidate --all` 10–15% faster.
    package var engineThreads: Int

    package init(
        urlPolicy: URLPolicy = URLPolicy(), maxRedirects: Int = 10, maxConcurrentRequests: Int = 32,
        userAgent: String? = "connvault", caBundlePath: String? = nil,
        engineThreads: Int = min(ProcessInfo.processInfo.activeProcessorCount, 4)
    ) {
        self.urlPolicy = urlPolicy
        self.maxRedirects = maxRedirects
        self.maxConcurrentRequests = maxConcurrentRequests
        self.userAgent = userAgent
        self.caBundlePath = caBundlePath
        self.engineThreads = engineThreads
    }
}

/// The libcurl client: engine threads running the multi interface, bounded concurrency, and the redirect,
/// credential and Digest rules in ``HTTPExchange``.
///
/// Create one per vault and share it; requests from many tasks run concurrently up to
/// ``HTTPClientConfiguration/maxConcurrentRequests``. Dropping the client cancels whatever is still running.
package final class CurlHTTPClient: HTTPClient {
    package let configuration: HTTPClientConfiguration
    /// The engines, sharing the bound: engine `i` takes `bound / count` transfers at once, one more for the first
    /// `bound % count`, so together they never run more than the bound. Started by the first request.
    private let engines: EngineStart<Lane>
    private let checkedURLs = CheckedURLCache()

    /// One engine and how many exchanges are running on it (a hint for choosing an engine, read without a lock).
    private final class Lane: Sendable {
        let engine: CurlEngine
        let exchanges = Atomic<Int>(0)

        init(_ engine: CurlEngine) { self.engine = engine }
    }

    /// Makes the client; its engines (and libcurl, if nothing loaded it yet) start with the first request.
    package init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
        let bound = max(1, configuration.maxConcurrentRequests)
        let count = min(max(1, configuration.engineThreads), bound)
        engines = EngineStart(
            start: {
                let trustBundle = TrustBundle(path: configuration.caBundlePath)
                return (0..<count).map { index in
                    Lane(CurlEngine(
                        maxConcurrent: bound / count + (index < bound % count ? 1 : 0),
                        userAgent: configuration.userAgent, trustBundle: trustBundle))
                }
            },
            stop: { lanes in for lane in lanes { lane.engine.shutdown() } })
    }

    deinit { engines.close() }

    /// Starts the engines now, in the background, instead of at the first request.
    package func startInBackground() {
        engines.startInBackground()
    }

    /// How many libcurl easy handles this client has created, and how many hops ran on a reused one.
    var transferHandleCounts: (created: Int, reused: Int) {
        engines.startedLanes.reduce((0, 0)) { counts, lane in
            (counts.0 + lane.engine.handleCounts.created, counts.1 + lane.engine.handleCounts.reused)
        }
    }

    /// How many engine threads share the transfers (none before the first request).
    var engineCount: Int { engines.startedLanes.count }

    package func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        if Task.isCancelled { throw .cancelled }  // before starting the engines (and loading libcurl) for nothing
        let lanes = await engines.lanes()
        guard !lanes.isEmpty else { throw .cancelled }  // the client is gone
        let lane = Self.leastLoaded(of: lanes)
        lane.exchanges.add(1, ordering: .relaxed)
        defer { lane.exchanges.subtract(1, ordering: .relaxed) }
        let exchange = HTTPExchange(
            request: request, policy: configuration.urlPolicy, maxRedirects: configuration.maxRedirects,
            transport: lane.engine, checkedURLs: checkedURLs)
        return try await exchange.run()
    }

    /// The engine with the fewest exchanges for its share of the bound; the first on a tie, so that requests made
    /// one at a time all run on one engine and reuse its handles and connections.
    private static func leastLoaded(of lanes: [Lane]) -> Lane {
        var best = lanes[0]
        var bestLoad = best.exchanges.load(ordering: .relaxed)
        for lane in lanes.dropFirst() {
            let load = lane.exchanges.load(ordering: .relaxed)
            if load * best.engine.maxConcurrent < bestLoad * lane.engine.maxConcurrent {
                best = lane
                bestLoad = load
            }
        }
        return best
    }
}
