import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

/// Servers that never answer or drip, at the executor: each run ends `unreachable`, saying it timed out, within
/// its whole-request timeout — also with a multi-request flow, where the budget covers the whole run's request
/// and not a fresh timeout per byte. (The CLI's timeout is 40 seconds; `HostileInputTests` drives these through
/// `connvault` only in the long variant. The other faults run there in CI.)
@Suite("Executor: servers that stall")
struct ExecutorFaultTests {
    static func executor(timeout: Duration) -> Executor {
        var configuration = Executor.Configuration()
        configuration.connectTimeout = .seconds(2)
        configuration.requestTimeout = timeout
        return Executor(configuration: configuration)
    }

    static func spec(_ json: String, base: String) throws -> ConnectionSpec {
        let value = try Value(parsingJSONC: Array(json.replacingOccurrences(of: "BASE", with: base).utf8))
        return try ConnectionSpec.check(
            name: "stall", label: nil, communication: value["communication"], parameters: value["parameters"],
            common: nil, source: "stall")
    }

    @Test(arguments: ["hang", "drip", "slow-head", "drip-redirects"])
    func stallingServersTimeOutWithinTheBudget(_ mode: String) async throws {
        let server = try ScriptedHTTPServer { request in
            switch (mode, request.path) {
            case ("hang", _): ScriptedResponse().with(.hang)
            case ("drip", _): .json(String(repeating: " ", count: 200) + "{}").with(.drip(chunk: 1, interval: .milliseconds(100)))
            case ("slow-head", _): .json("{}").with(.delay(.seconds(60)))
            // Each hop arrives just in time for a per-hop timeout; together they overrun the run's budget.
            default: ScriptedResponse.redirect(302, to: "/next").with(.delay(.milliseconds(400)))
            }
        }
        defer { server.stop() }
        let timeout: Duration = .milliseconds(1500)
        let spec = try Self.spec(#"{"communication": {"url": "BASE/start", "response": {"type": "json"}}}"#, base: server.baseURL)
        let started = ContinuousClock.now
        let result = await Self.executor(timeout: timeout).run(spec, parameters: [:], common: [:])
        let elapsed = ContinuousClock.now - started
        #expect(result.outcome == .unreachable, "\(mode): \(result.outcome) \(result.error ?? "")")
        #expect(result.error?.contains("timed out") == true, "\(mode): \(result.error ?? "")")
        // Loose: the suite keeps both cores busy. A run that waited for the server would take 60 s, or forever.
        #expect(elapsed < timeout + .seconds(12), "\(mode) took \(elapsed)")
    }
}
