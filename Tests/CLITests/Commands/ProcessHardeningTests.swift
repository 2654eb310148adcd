import ConnectionVault
import Foundation
import Testing
import TestSupport

@Suite("The CLI process while it holds keys")
struct ProcessHardeningTests {
    @Test func noCoreDumpsAndNoSecretInItsArguments() async throws {
        let test = try TestVault()
        let server = try ScriptedHTTPServer { _ in ScriptedResponse.json("{}").with(.hang) }
        let spec = try Examples.spec("acme-apikey", pointedAt: server.baseURL, in: test.directory.path)
        let environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path]
        let connvault = CommandRunner(product: "connvault")
        #expect(try connvault.run(["types", "import", spec], environment: environment).status == 0)

        let canary = "CANARY-argv-91c3"
        let process = Process()
        process.executableURL = connvault.executable
        process.arguments = ["add", "acme-apikey", "--param", "apiKey=@-"]
        process.environment = connvault.environment.merging(environment) { $1 }
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        input.fileHandleForWriting.write(Data(canary.utf8))
        try input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, server.requests.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        let pid = process.processIdentifier
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let coreLine = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") } ?? ""
        #expect(coreLine.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).first == "0", "\(coreLine)")
        let commandLine = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
        #expect(commandLine.range(of: Data(canary.utf8)) == nil)
        #expect(server.requests.first?.header("X-Api-Key") == canary)  // it did hold the secret
        process.terminate()
        process.waitUntilExit()
    }

    @Test func hardeningAppliesInProcess() {
        #expect(ProcessHardening.apply())
        #expect(ProcessHardening.isApplied)
    }
}
