import ConnectionVault
import Foundation
import IML
import Synchronization
import Testing
import TestSupport

/// Canary secrets entered through every path the CLI offers — `add` with `@-`, `@FILE`, `--params-file FILE` and
/// `--params-file -`, `update` with each, `common set` from standard input and `--file`, `import` of an archive —
/// and a token the service hands back (kept in the data collection), never appear, in any form `SecretScan`
/// knows (plain, base64, base64url, `base64(user:secret)`, URL-encoded, hex):
///
/// - on standard output or standard error of any command without `--reveal`, `--log` included, error messages
///   included (the service echoes every secret it is sent back in its error bodies);
/// - in the vault file, its `-wal` or `-shm` after any command (a connection held open by the test keeps the WAL
///   between commands), nor after a TRUNCATE checkpoint following `key rotate`, `remove` and `import`;
/// - in history rows or `last_error`; in the exported archive; in `/proc/<pid>/cmdline` or `environ` of a CLI
///   that holds them (checked while it waits on a slow service).
///
/// `CanaryTests` covers the same for the Swift API; `ProcessHardeningTests` core dumps.
@Suite("Canary secrets through every CLI path")
struct CanaryEverywhereTests {
    let connvault = CommandRunner(product: "connvault")

    /// The secrets, random per run so that no earlier run's leftovers can match.
    struct Canaries {
        let tag = UUID().uuidString.prefix(8).lowercased()
        var key1: String { "CANARY-key1-\(tag)" }  // add --param apiKey=@-
        var key2: String { "CANARY-key2-\(tag)" }  // add --param apiKey=@FILE
        var key3: String { "CANARY-key3-\(tag)" }  // update --param apiKey=@-
        var wrongKey: String { "CANARY-wrong-\(tag)" }  // refused by the service, echoed in its error
        var password1: String { "CANARY-pw1-\(tag)" }  // add --params-file FILE
        var password2: String { "CANARY-pw2-\(tag)" }  // add --params-file -
        var password3: String { "CANARY-pw3-\(tag)" }  // update --params-file FILE
        var common1: String { "CANARY-common1-\(tag)" }  // common set -
        var common2: String { "CANARY-common2-\(tag)" }  // common set --file
        var token: String { "CANARY-token-\(tag)" }  // returned by the service, stored in the data collection
        var passphrase: String { "CANARY-passphrase-\(tag)" }  // the export archive's passphrase

        var all: [SecretScan.Canary] {
            [("key1", key1), ("key2", key2), ("key3", key3), ("wrongKey", wrongKey), ("password1", password1),
             ("password2", password2), ("password3", password3), ("common1", common1), ("common2", common2),
             ("token", token), ("passphrase", passphrase)].map { SecretScan.Canary($0.0, $0.1) }
        }
        var goodKeys: Set<String> { [key1, key2, key3] }
        var goodPasswords: Set<String> { [password1, password2, password3] }
    }

    /// Two types: an API key plus a common client secret in headers, the token kept as data; Basic with a username
    /// and a password. Every error echoes what was sent.
    static func specs(base: String) -> [(String, String)] {
        [
            ("canary-apikey", #"""
            {"name": "canary-apikey", "communication": {"url": "\#(base)/apikey/me",
              "headers": {"x-api-key": "{{parameters.apiKey}}", "x-client-secret": "{{common.clientSecret}}"},
              "response": {"uid": "{{body.id}}", "metadata": {"type": "text", "value": "{{body.name}}"},
                           "data": {"token": "{{body.token}}"}, "error": {"message": "[{{statusCode}}] {{body.message}}"}},
              "log": {"sanitize": ["response.body.token"]}},
             "parameters": [{"name": "apiKey", "type": "password", "required": true}]}
            """#),
            ("canary-basic", #"""
            {"name": "canary-basic", "communication": {"url": "\#(base)/basic/me",
              "headers": {"authorization": "Basic {{base64(parameters.username + ':' + parameters.password)}}"},
              "response": {"uid": "{{body.id}}", "metadata": {"type": "email", "value": "{{body.email}}"},
                           "error": {"message": "[{{statusCode}}] {{body.error}}"}}},
             "parameters": [{"name": "username", "type": "text", "required": true},
                            {"name": "password", "type": "password", "required": true, "validate": {"max": 40}}]}
            """#),
        ]
    }

    final class Slow: Sendable {
        let on = Mutex(false)
    }

    @Test func canariesNeverLeak() async throws {
        try await BlockingWork.run { try await canariesNeverLeakBody() }
    }

    func canariesNeverLeakBody() async throws {
        let canaries = Canaries()
        let scan = SecretScan(canaries.all, usernames: ["ada"])
        let slow = Slow()
        let server = try ScriptedHTTPServer { request in
            let delay: Duration = slow.on.withLock { $0 } ? .milliseconds(800) : .zero
            switch request.path {
            case "/apikey/me":
                let key = request.header("X-Api-Key") ?? ""
                guard canaries.goodKeys.contains(key) else {
                    let echo = "invalid API key \(key), client secret \(request.header("X-Client-Secret") ?? "")"
                    return .json(#"{"message": "\#(echo)"}"#, status: 401).with(.delay(delay))
                }
                return .json(#"{"id": "42", "name": "Ada", "token": "\#(canaries.token)"}"#).with(.delay(delay))
            case "/basic/me":
                let authorization = request.header("Authorization") ?? ""
                let decoded = Data(base64Encoded: String(authorization.dropFirst(6))).map { String(decoding: $0, as: UTF8.self) } ?? ""
                guard decoded.hasPrefix("ada:"), canaries.goodPasswords.contains(String(decoded.dropFirst(4))) else {
                    return .json(#"{"error": "wrong password \#(decoded) (\#(authorization))"}"#, status: 401).with(.delay(delay))
                }
                return .json(#"{"id": "43", "email": "ada@example.com"}"#).with(.delay(delay))
            default:
                return .text("no", status: 404)
            }
        }
        defer { server.stop() }

        let test = try TestVault()  // its connection stays open: the WAL is kept between commands
        // The master key is in the environment by design; the archive passphrase only where an archive is made or read.
        let environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path, "HOME": test.directory.path]
        var archiveEnvironment = environment
        archiveEnvironment["CONNVAULT_EXPORT_PASSPHRASE"] = canaries.passphrase
        var commands = 0
        var leaks: [String] = []

        /// Runs a command, checks its outputs (unless it reveals) and the vault's files.
        @discardableResult
        func run(_ arguments: [String], stdin: String? = nil, status expected: Int32? = 0, reveals: Bool = false,
                 vault path: String? = nil, env: [String: String]? = nil) throws -> CommandRunner.Result {
            let vaultPath = path ?? test.path
            for argument in arguments { leaks += scan.found(in: argument).map { "argv of \(arguments): \($0)" } }
            let result = try connvault.run(arguments, environment: env ?? environment, stdin: stdin)
            commands += 1
            if let expected { #expect(result.status == expected, "\(arguments): exit \(result.status): \(result.stderr)") }
            if !reveals { leaks += scan.found(in: result.stdout + result.stderr).map { "output of \(arguments): \($0)" } }
            leaks += scan.found(inFiles: SecretScan.vaultFiles(vaultPath)).map { "after \(arguments): \($0)" }
            return result
        }
        func id(_ result: CommandRunner.Result) throws -> String {
            try #require(try Value(parsingJSON: Array(result.stdout.utf8))["id"]?.stringValue, "\(result.stdout)")
        }

        for (name, text) in Self.specs(base: server.baseURL) {
            let file = test.directory.file("\(name).json")
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            try run(["types", "import", file])
        }
        // Common data: from standard input, then from a file.
        try run(["common", "set", "canary-apikey", "-"], stdin: #"{"clientSecret": "\#(canaries.common1)"}"#)
        let commonFile = test.directory.file("common.json")
        try #"{"clientSecret": "\#(canaries.common2)"}"#.write(toFile: commonFile, atomically: true, encoding: .utf8)
        try run(["common", "set", "canary-basic", "--file", commonFile])
        try run(["common", "show", "canary-apikey"])
        try run(["common", "show", "canary-basic", "--json"])

        // Adds through every input path; a refused one, whose key the service echoes.
        let apiKey1 = try id(try run(["add", "canary-apikey", "--param", "apiKey=@-", "--json"], stdin: canaries.key1 + "\n"))
        let keyFile = test.directory.file("key.txt")
        try canaries.key2.write(toFile: keyFile, atomically: true, encoding: .utf8)
        let apiKey2 = try id(try run(["add", "canary-apikey", "--name", "two", "--param", "apiKey=@\(keyFile)", "--json"]))
        try run(["add", "canary-apikey", "--param", "apiKey=@-"], stdin: canaries.wrongKey, status: 2)
        try run(["add", "canary-apikey", "--param", "apiKey=@-", "--json"], stdin: canaries.wrongKey, status: 2)
        try run(["add", "canary-apikey", "--name", "unverified", "--no-verify", "--param", "apiKey=@-"], stdin: canaries.wrongKey)
        let paramsFile = test.directory.file("params.json")
        try #"{"username": "ada", "password": "\#(canaries.password1)"}"#.write(toFile: paramsFile, atomically: true, encoding: .utf8)
        let basic1 = try id(try run(["add", "canary-basic", "--params-file", paramsFile, "--json"]))
        let basic2 = try id(try run(["add", "canary-basic", "--name", "b2", "--params-file", "-", "--json"],
                                    stdin: #"{"username": "ada", "password": "\#(canaries.password2)"}"#))
        // Refused parameters: the messages name the parameter, never its value.
        try run(["add", "canary-basic", "--params-file", "-"], stdin: #"{"username": "ada", "password": ["\#(canaries.password1)"]}"#,
                status: 65)
        try run(["add", "canary-basic", "--params-file", "-"],
                stdin: #"{"username": "ada", "password": "\#(canaries.password1)\#(String(repeating: "x", count: 40))"}"#, status: 65)
        try run(["add", "canary-basic", "--param", "username=ada", "--param", "passwrd=@-"], stdin: canaries.password2, status: 65)
        try run(["add", "canary-basic", "--params-file", "-"], stdin: "{\"password\": \"\(canaries.password2)", status: 65)

        // Updates: a refused one (echoed), then new secrets through standard input and a file.
        try run(["update", apiKey1, "--param", "apiKey=@-"], stdin: canaries.wrongKey, status: 2)
        try run(["update", apiKey1, "--param", "apiKey=@-", "--json"], stdin: canaries.key3)
        let params3 = test.directory.file("params3.json")
        try #"{"password": "\#(canaries.password3)"}"#.write(toFile: params3, atomically: true, encoding: .utf8)
        try run(["update", basic1, "--params-file", params3, "--json"])

        // The CLI while it holds every secret: not in its argument vector or environment.
        slow.on.withLock { $0 = true }
        for (arguments, status) in [(["revalidate", "--all"], Int32(2)), (["update", apiKey2, "--param", "apiKey=@-"], 0)] {
            let process = try RunningCommand(connvault, arguments, environment: environment, stdin: canaries.key2)
            var seenWaiting = false  // read while the service held one of its requests: it held the secrets then
            while process.isRunning {
                let waiting = server.inFlightRequests > 0
                for file in ["cmdline", "environ"] {
                    guard let bytes = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(process.pid)/\(file)")),
                        !bytes.isEmpty
                    else { continue }
                    leaks += scan.found(in: bytes).map { "/proc/<pid>/\(file) of \(arguments): \($0)" }
                    if waiting, file == "environ", bytes.range(of: Data("CONNVAULT_KEY=".utf8)) != nil { seenWaiting = true }
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            let outcome = process.wait()
            #expect(outcome.status == status, "\(arguments): \(outcome.stderr)")
            #expect(seenWaiting, "\(arguments) was never seen waiting on the service (it took \(outcome.duration))")
            leaks += scan.found(in: outcome.stdout + outcome.stderr).map { "output of \(arguments): \($0)" }
        }
        slow.on.withLock { $0 = false }

        // Everything that reads: outputs hold no secret; only --reveal shows them.
        for arguments in [
            ["list"], ["list", "--json"], ["show", apiKey1], ["show", apiKey1, "--json"], ["show", basic2, "--json"],
            ["history", apiKey1], ["history", basic1, "--json"], ["find", "--uid", "42", "--json"],
            ["types", "list", "--json"], ["types", "show", "canary-apikey", "--json"], ["doctor"], ["doctor", "--json"],
        ] {
            try run(arguments)
        }
        let logged = try run(["revalidate", "--all", "--log", "--json"], status: 2)
        #expect(logged.stderr.contains("x-api-key") && logged.stderr.contains("<redacted>"), "the log was written, redacted")
        #expect(logged.stdout.contains("[401] invalid API key <redacted>"), "the echoed error was kept, redacted")
        try run(["revalidate", apiKey1, basic2, "--log"])
        let revealed = try run(["show", apiKey1, "--reveal", "--json"], reveals: true)
        #expect(revealed.stdout.contains(canaries.key3) && revealed.stdout.contains(canaries.token), "the secrets are stored")
        let common = try run(["common", "show", "canary-apikey", "--reveal"], reveals: true)
        #expect(common.stdout.contains(canaries.common1))

        // History and last_error columns, read directly.
        let raw = RawDatabase(path: test.path)
        let rows = raw.query("SELECT * FROM history").map { "\($0)" } + raw.query("SELECT last_error FROM connections").map { "\($0)" }
        #expect(rows.count > 10)
        leaks += rows.flatMap { scan.found(in: $0).map { "history/last_error: \($0)" } }

        // Rotation, removal, then a TRUNCATE checkpoint: nothing in the files either.
        try run(["key", "rotate"])
        try run(["remove", basic2, "--yes"])
        try test.vault.checkpoint()
        leaks += scan.found(inFiles: SecretScan.vaultFiles(test.path)).map { "after rotation and checkpoint: \($0)" }

        // Export, and import into another vault: the archive and the second vault hold no secret in clear.
        let archive = test.directory.file("backup.cva")
        try run(["export", "--out", archive], env: archiveEnvironment)
        leaks += scan.found(inFiles: [archive]).map { "archive: \($0)" }
        let second = TemporaryDirectory()
        let secondKey = TestVault.randomKeyBase64()
        var secondEnvironment = archiveEnvironment
        secondEnvironment["CONNVAULT_PATH"] = second.file("vault.db")
        secondEnvironment["CONNVAULT_KEY"] = secondKey
        try run(["init"], vault: second.file("vault.db"), env: secondEnvironment)
        try run(["import", archive], vault: second.file("vault.db"), env: secondEnvironment)
        try run(["list", "--json"], vault: second.file("vault.db"), env: secondEnvironment)
        try run(["revalidate", "--all", "--log"], status: 2, vault: second.file("vault.db"), env: secondEnvironment)
        try run(["key", "rotate"], vault: second.file("vault.db"), env: secondEnvironment)
        let imported = try Vault.open(at: second.file("vault.db"), key: .base64(secondKey))
        #expect(try imported.secrets(of: UUID(uuidString: apiKey1)!).parameters["apiKey"] == .string(canaries.key3))
        try imported.checkpoint()
        leaks += scan.found(inFiles: SecretScan.vaultFiles(second.file("vault.db"))).map { "imported vault: \($0)" }

        #expect(leaks.isEmpty, "\(leaks.count) leaks: \(leaks.prefix(10))")
        ReliabilitySettings.report("canaries: \(canaries.all.count) secrets, \(scan.patterns.count) patterns, \(commands) commands, \(leaks.count) leaks")
    }

    /// The scanner itself: each form of a secret is found, inside other text too.
    @Test func theScanFindsEveryForm() {
        let secret = "CANARY-scan-0a1b"
        let scan = SecretScan([.init("s", secret)], usernames: ["ada"])
        let forms = [
            secret, Data(secret.utf8).base64EncodedString(), Data("ada:\(secret)".utf8).base64EncodedString(),
            secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
            secret.utf8.map { String(format: "%02x", $0) }.joined(),
            Data(#"{"k":"\#(secret)"}"#.utf8).base64EncodedString(),  // inside an encoded document, any alignment
            Data(#"{"kk":"\#(secret)"}"#.utf8).base64EncodedString(), Data(#"{"kkk":"\#(secret)"}"#.utf8).base64EncodedString(),
        ]
        for form in forms { #expect(!scan.found(in: "before \(form) after").isEmpty, "\(form)") }
        #expect(scan.found(in: "CANARY-scan-0a1c and nothing else").isEmpty)
    }
}
