import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Ctrl-C during revalidate")
struct InterruptTests {
    @Test func interruptedRunsAreAbandonedAndFinishedOnesStayRecorded() async throws {
        let test = try TestVault()
        let server = try ScriptedHTTPServer { request in
            let key = request.header("X-Api-Key") ?? ""
            let response = ScriptedResponse.json(#"{"id": 1, "name": "n"}"#)
            return key.hasPrefix("slow") ? response.with(.hang) : response
        }
        let spec = try Examples.spec("acme-apikey", pointedAt: server.baseURL, in: test.directory.path)
        let environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path]
        let connvault = CommandRunner(product: "connvault")
        #expect(try connvault.run(["types", "import", spec], environment: environment).status == 0)
        let keys = ["fast-1", "fast-2", "fast-3", "slow-1", "slow-2"]
        for key in keys {
            _ = try connvault.run(["add", "acme-apikey", "--name", key, "--no-verify", "--param", "apiKey=\(key)"],
                                  environment: environment)
        }

        let process = Process()
        process.executableURL = connvault.executable
        process.arguments = ["revalidate", "--all", "--concurrency", "8"]
        process.environment = connvault.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Wait until every request reached the service (results are written in batches, so the fast ones may
        // not be recorded yet), then interrupt while the slow ones hang.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, server.requests.count < keys.count { try await Task.sleep(for: .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(300))
        process.interrupt()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let vault = try test.reopen()
        #expect(process.terminationReason == .exit && process.terminationStatus == 1, "\(stderr)")
        #expect(stderr.contains("interrupted: 3 of 5 finished and were recorded"))
        for connection in try vault.connections() {
            let runs = try vault.history(of: connection.id)
            #expect(runs.count == (connection.name.hasPrefix("fast") ? 1 : 0), "\(connection.name)")
        }
        #expect(try vault.integrityProblems().isEmpty)
    }
}
