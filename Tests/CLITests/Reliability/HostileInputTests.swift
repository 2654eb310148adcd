import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

/// Hostile input at the command line. The HTTP layer's own tests cover each misbehaviour against the client
/// (`HTTPFailureTests`, `HTTPRedirectTests`) and the spec checker's tests the refused directives
/// (`SpecCheckerTests`); these drive the same through `connvault`: what a runner sees.
@Suite("Hostile input through connvault")
struct HostileInputTests {
    let connvault = CommandRunner(product: "connvault")
    static let canary = "CANARY-hostile-7e21"

    /// Specs whose directives would widen access are refused at import with exit 65, naming each directive, and
    /// nothing is imported.
    @Test func directivesThatWidenAccessAreRefusedAtImport() async throws {
        try await BlockingWork.run { try directivesThatWidenAccessAreRefusedAtImportBody() }
    }

    func directivesThatWidenAccessAreRefusedAtImportBody() throws {
        let test = try TestVault()
        let environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path, "HOME": test.directory.path]
        let cases: [(name: String, communication: String, expected: [String])] = [
            ("file-url", #"{"url": "file:///etc/passwd"}"#, ["communication.url", "file"]),
            ("ftp-url", #"{"url": "ftp://127.0.0.1/x"}"#, ["communication.url", "ftp"]),
            ("no-tls-check", #"{"url": "https://api.example.com/me", "rejectUnauthorized": false}"#,
             ["communication.rejectUnauthorized", "certificate checks cannot be turned off"]),
            ("plain-http", #"{"url": "http://api.example.com/me"}"#, ["communication.url", "http"]),
            ("plain-http-lookalike", #"{"url": "http://127.0.0.1.nip.io/me"}"#, ["communication.url", "http"]),
            ("all-at-once", #"[{"url": "https://ok.example.com"}, {"url": "file:///x", "rejectUnauthorized": false, "aws": {}}]"#,
             ["communication[1].url", "communication[1].rejectUnauthorized", "communication[1].aws", "3 problems"]),
        ]
        for (name, communication, expected) in cases {
            let file = test.directory.file("\(name).json")
            try #"{"name": "\#(name)", "communication": \#(communication)}"#.write(toFile: file, atomically: true, encoding: .utf8)
            let result = try connvault.run(["types", "import", file], environment: environment)
            #expect(result.status == 65, "\(name): exit \(result.status): \(result.stderr)")
            #expect(result.stderr.hasPrefix("Error: "), "\(name): \(result.stderr)")
            for text in expected { #expect(result.stderr.contains(text), "\(name): no '\(text)' in \(result.stderr)") }
        }
        #expect(try test.reopen().types().isEmpty)
        // The same URL to loopback over plain http is fine (connection-spec §10).
        let loopback = test.directory.file("loopback.json")
        try #"{"name": "loopback", "communication": {"url": "http://127.0.0.1:8080/me"}}"#
            .write(toFile: loopback, atomically: true, encoding: .utf8)
        #expect(try connvault.run(["types", "import", loopback], environment: environment).status == 0)
    }

    /// The misbehaving-server type: the path comes from a parameter, so each connection meets another server fault.
    static func spec(base: String) -> String {
        #"""
        {"name": "hostile", "communication": {"url": "\#(base)/{{parameters.mode}}", "gzip": true,
          "headers": {"x-api-key": "{{parameters.apiKey}}"},
          "response": {"uid": "{{body.id}}", "metadata": {"type": "text", "value": "{{body.name}}"}}},
         "parameters": [{"name": "apiKey", "type": "password", "required": true},
                        {"name": "mode", "type": "text", "required": true}]}
        """#
    }

    /// Each fault, through `connvault revalidate --all`: a clear outcome and message per connection, the whole run
    /// in bounded time and memory, the API key never sent to another origin nor printed. A server that never
    /// answers or drips one byte a second takes the CLI's whole 40-second request timeout, so those two run only
    /// with `CONNVAULT_LONG_TESTS=1`.
    @Test func misbehavingServersEndEachRunClearlyWithinBoundedTimeAndMemory() async throws {
        try await BlockingWork.run { try misbehavingServersEndEachRunClearlyWithinBoundedTimeAndMemoryBody() }
    }

    func misbehavingServersEndEachRunClearlyWithinBoundedTimeAndMemoryBody() throws {
        let test = try TestVault()
        let other = try ScriptedHTTPServer { _ in .json(#"{"id": "elsewhere", "name": "Other"}"#) }
        defer { other.stop() }
        let bomb = Gzip.zeros(count: 256 << 20)
        let server = try ScriptedHTTPServer { request in
            switch request.path {
            case "/ok": .json(#"{"id": "1", "name": "Ada"}"#)
            case "/malformed-status": .raw("HTTP/1.1 abc Nope\r\n\r\n")
            case "/malformed-headers": .raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello")
            case "/not-http": .raw("SSH-2.0-OpenSSH_9.2\r\n")
            case "/gigabytes": ScriptedResponse(headers: [("Content-Type", "application/json")]).with(.stream(bytes: 4 << 30))
            case "/bomb": ScriptedResponse(headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")], body: bomb)
            case "/loop": .redirect(302, to: "/loop")
            case "/to-file": .redirect(302, to: "file:///etc/passwd")
            case "/to-gopher": .redirect(302, to: "gopher://127.0.0.1:70/x")
            case "/to-other-origin": .redirect(307, to: other.url("/me"))
            case "/hang": ScriptedResponse().with(.hang)
            case "/drip": ScriptedResponse.json(#"{"id": "1", "name": "Ada"}"#).with(.drip(chunk: 1, interval: .seconds(1)))
            default: .text("?", status: 404)
            }
        }
        defer { server.stop() }
        let environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path, "HOME": test.directory.path]
        let specFile = test.directory.file("hostile.json")
        try Self.spec(base: server.baseURL).write(toFile: specFile, atomically: true, encoding: .utf8)
        #expect(try connvault.run(["types", "import", specFile], environment: environment).status == 0)

        // mode → (outcome, a word the error must contain)
        var expected: [String: (String, String)] = [
            "ok": ("valid", ""),
            "malformed-status": ("unreachable", "malformed"),
            "malformed-headers": ("unreachable", "malformed"),
            "not-http": ("unreachable", "malformed"),
            "gigabytes": ("unreachable", "cap"),
            "bomb": ("unreachable", "cap"),
            "loop": ("unreachable", "redirects"),
            "to-file": ("invalid", "file"),
            "to-gopher": ("invalid", "gopher"),
            "to-other-origin": ("valid", ""),
        ]
        if ReliabilitySettings.long {
            expected["hang"] = ("unreachable", "timed out")
            expected["drip"] = ("unreachable", "timed out")
        }
        var names: [String: String] = [:]  // id → mode
        for mode in expected.keys {
            let added = try connvault.run(
                ["add", "hostile", "--name", mode, "--no-verify", "--param", "apiKey=@-", "--param", "mode=\(mode)", "--json"],
                environment: environment, stdin: Self.canary)
            #expect(added.status == 0, "\(added.stderr)")
            if let id = try Value(parsingJSON: Array(added.stdout.utf8))["id"]?.stringValue { names[id] = mode }
        }

        let run = try RunningCommand(connvault, ["revalidate", "--all", "--json", "--log", "--concurrency", "16"],
                                     environment: environment).wait()
        #expect(run.status == 2, "\(run.stderr)")
        let limit: Duration = ReliabilitySettings.long ? .seconds(90) : .seconds(30)
        #expect(run.duration < limit, "revalidate took \(run.duration)")
        #expect(run.peakResidentKiB < 256 << 10, "peak memory \(run.peakResidentKiB) KiB")
        let results = try #require(try Value(parsingJSON: Array(run.stdout.utf8)).arrayValue, "\(run.stdout)")
        #expect(results.count == expected.count)
        for result in results {
            let mode = names[result["id"]?.stringValue ?? ""] ?? "?"
            guard let (outcome, word) = expected[mode] else {
                Issue.record("unexpected result \(result)")
                continue
            }
            #expect(result["outcome"]?.stringValue == outcome, "\(mode): \(result)")
            let error = result["error"]?.stringValue ?? ""
            if word.isEmpty {
                #expect(result["error"] == .null, "\(mode): \(result)")
            } else {
                #expect(error.lowercased().contains(word.lowercased()), "\(mode): error '\(error)' does not name '\(word)'")
            }
        }
        // The 307 to another origin carried no credential; the scripted faults sent at most the cap's worth.
        #expect(other.requests.count == 1 && other.requests.first?.header("X-Api-Key") == nil)
        #expect(server.bytesWritten < 512 << 20, "the server wrote \(server.bytesWritten) bytes")
        for output in [run.stdout, run.stderr] {
            #expect(SecretScan([.init("apiKey", Self.canary)]).found(in: output).isEmpty)
        }
        // Every run is recorded with the same outcome, and the vault is whole.
        let vault = try test.reopen()
        for connection in try vault.connections() {
            let mode = names[connection.id.uuidString.lowercased()] ?? "?"
            #expect(try vault.history(of: connection.id).first?.outcome.rawValue == expected[mode]?.0, "\(mode)")
        }
        #expect(try vault.integrityProblems().isEmpty)
        ReliabilitySettings.report(
            "hostile servers through revalidate: \(expected.count) connections in \(run.duration), "
                + "peak \(run.peakResidentKiB / 1024) MiB, server wrote \(server.bytesWritten >> 20) MiB")
    }
}
