import Foundation
import Testing
import TestSupport

@Suite("revalidate --concurrency")
struct RevalidateConcurrencyTests {
    /// `revalidate` runs two flows per request slot, so that an engine takes a waiting request as soon as one
    /// finishes; the bound itself (cli.md: `--concurrency N` bounds requests in flight) stays exact, and is reached.
    @Test func requestsInFlightStayWithinTheBoundAndReachIt() async throws {
        let test = try TestVault()
        let server = try ScriptedHTTPServer { _ in
            ScriptedResponse.json(#"{"id": 1, "name": "n"}"#).with(.delay(.milliseconds(40)))
        }
        defer { server.stop() }
        let spec = try Examples.spec("acme-apikey", pointedAt: server.baseURL, in: test.directory.path)
        let environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path]
        let connvault = CommandRunner(product: "connvault")
        #expect(try connvault.run(["types", "import", spec], environment: environment).status == 0)
        for index in 1...12 {
            let added = try connvault.run(
                ["add", "acme-apikey", "--name", "c\(index)", "--no-verify", "--param", "apiKey=@-"],
                environment: environment, stdin: "key-\(index)")
            #expect(added.status == 0, "\(added.stderr)")
        }

        let run = try connvault.run(["revalidate", "--all", "--concurrency", "3", "--json"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(server.requests.count == 12)
        #expect(server.peakConcurrentRequests == 3)
    }
}
