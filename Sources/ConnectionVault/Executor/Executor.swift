public import Foundation
public import IML
import Synchronization

/// Runs connection specs' verification flows over real HTTP (connection-spec §3–§5, §7–§10).
///
/// The executor never touches the database: it returns a ``FlowResult`` and the ``Vault`` records it.
/// One executor (and its HTTP client) is shared by every run; requests in flight are bounded by
/// ``Configuration/maxConcurrentRequests``.
public final class Executor: Sendable {
    /// Limits and switches of every run.
    public struct Configuration: Sendable {
        /// Connect timeout (10 s) and whole-request timeout (40 s, Make's module limit).
        public var connectTimeout: Duration = .seconds(10)
        public var requestTimeout: Duration = .seconds(40)
        /// The cap on a response body after decoding: 8 MiB.
        public var maxResponseBytes = 8 * 1024 * 1024
        /// Allow plain `http` to hosts other than loopback (off: https only, plus http to loopback).
        public var allowPlainHTTP = false
        /// The most HTTP requests in flight at once across all runs.
        public var maxConcurrentRequests = 32
        /// The default time zone of date functions (`environment.timezone`).
        public var timeZone = "UTC"
        /// Keep each run's redacted request/response log in ``FlowResult/log`` (on by default). Building and
        /// redacting it is a tenth of a revalidation's CPU, so callers that do not show it turn it off.
        public var keepsLog = true

        public init() {}
    }

    let configuration: Configuration
    let client: any HTTPClient
    /// The last compiled flow of each spec name: a revalidation runs one spec for many connections, and
    /// compiling its templates again for every run cost as much as the rest of the run's templates.
    private let compiledFlows = Mutex<[String: (spec: ConnectionSpec, flow: CompiledFlow)]>([:])

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.client = CurlHTTPClient(configuration: HTTPClientConfiguration(
            urlPolicy: URLPolicy(allowPlainHTTP: configuration.allowPlainHTTP),
            maxConcurrentRequests: configuration.maxConcurrentRequests))
    }

    init(configuration: Configuration, client: any HTTPClient) {
        self.configuration = configuration
        self.client = client
    }

    /// Starts loading the HTTP library (libcurl and its 30 libraries: a few milliseconds) on a thread of its own, so
    /// that a program about to send requests overlaps the load with its own start, such as opening the vault.
    ///
    /// Start it before the program makes any other thread: while the library loads, the dynamic loader holds a lock
    /// that making a thread takes, so a thread made meanwhile (Swift concurrency's pool, for one) starts only when
    /// the load is done. Call ``waitForHTTPLoad()`` before the process exits. Calls after the first do nothing.
    public static func startLoadingHTTP() {
        CurlGlobal.initializeInBackground()
    }

    /// Returns once a load that ``startLoadingHTTP()`` started is done and its thread has ended, and no HTTP engine
    /// is still starting; at once when nothing was started.
    ///
    /// A process must not exit before: exiting while another thread runs the library's initialisers (or its
    /// thread-local cleanup) can crash in exit's cleanup.
    public static func waitForHTTPLoad() {
        CurlGlobal.waitForBackgroundWork()
    }

    /// Starts the HTTP engines now, in the background, instead of at the first request.
    ///
    /// Call it from the task that sends the requests: the engine threads take the caller's scheduling priority, and
    /// Swift's tasks run at a raised one when the process may raise it (see `EngineStart.startInBackground()`).
    public func startHTTPInBackground() {
        client.startInBackground()
    }

    /// `spec`'s compiled flow, reused while the same spec (compared whole) runs again.
    func compiledFlow(_ spec: ConnectionSpec) throws -> CompiledFlow {
        if let cached = compiledFlows.withLock({ $0[spec.name] }), cached.spec == spec { return cached.flow }
        let flow = try CompiledFlow(spec)
        compiledFlows.withLock { $0[spec.name] = (spec, flow) }
        return flow
    }

    /// Runs `spec`'s flow with the given parameters and common data; `data` is the stored collection before the
    /// run (empty when creating). `isStored` enables the `needs-input` rule for parameters deleted after use.
    public func run(
        _ spec: ConnectionSpec, parameters: Object, common: Object, data: Object = Object(), isStored: Bool = false,
        now: Date = Date()
    ) async -> FlowResult {
        await run(spec, compiled: nil, parameters: parameters, common: common, data: data, isStored: isStored, now: now)
    }

    /// ``run(_:parameters:common:data:isStored:now:)`` with `spec`'s flow compiled by the caller (a revalidation
    /// compiles each type's flow once), or compiled here when nil.
    func run(
        _ spec: ConnectionSpec, compiled: CompiledFlow?, parameters: Object, common: Object, data: Object = Object(),
        isStored: Bool = false, now: Date = Date()
    ) async -> FlowResult {
        let clock = ContinuousClock()
        let start = clock.now
        // The time its requests waited for a transfer slot (other runs' requests held them) is not the run's.
        let slotWait = SlotWait()
        var result = await SlotWait.$current.withValue(slotWait) {
            var run = FlowRun(
                spec: spec, compiled: compiled, parameters: parameters, common: common, data: data, executor: self,
                now: now)
            return await run.execute(isStored: isStored)
        }
        let elapsed = max(.zero, clock.now - start - slotWait.total)
        result.durationMs = Int(elapsed.wholeMilliseconds)
        return result
    }
}
