import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("A run's recorded duration")
struct RunDurationTests {
    /// Three runs at once through one request slot: the second and third wait for the others' transfers, and that
    /// wait is not theirs. Each takes one 150 ms response; counting the wait, the last would take 450 ms (the bound
    /// below leaves room for a loaded machine, and still fails that).
    @Test func leavesOutTheWaitForATransferSlot() async throws {
        let server = try ScriptedHTTPServer { _ in
            ScriptedResponse.json(#"{"userId": 7, "userName": "ada"}"#).with(.delay(.milliseconds(150)))
        }
        defer { server.stop() }
        var configuration = Executor.Configuration()
        configuration.maxConcurrentRequests = 1
        let executor = Executor(configuration: configuration)
        let spec = try Fixtures.spec(Fixtures.whoami, server: server)
        let parameters: Object = ["apiKey": "k"]

        let durations = await withTaskGroup(of: FlowResult.self) { group in
            for _ in 0..<3 { group.addTask { await executor.run(spec, parameters: parameters, common: Object()) } }
            return await group.reduce(into: [Int]()) { durations, result in
                #expect(result.outcome == .valid, "\(result.error ?? "")")
                durations.append(result.durationMs)
            }
        }
        #expect(server.peakConcurrentRequests == 1)
        #expect(durations.allSatisfy { $0 >= 150 && $0 < 400 }, "\(durations)")
    }
}
