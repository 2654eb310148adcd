import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

/// `add`, `update`, `revalidate` driven through the binary against a scripted loopback service.
@Suite("connvault add, update, revalidate")
struct VerificationCommandTests {
    let connvault = CommandRunner(product: "connvault")
    static let canary = "CANARY-cli-key-4d2a"

    struct Fixture {
        let test: TestVault
        let server: ScriptedHTTPServer
        let environment: [String: String]

        init(goodKeys: Set<String> = [VerificationCommandTests.canary]) throws {
            test = try TestVault()
            server = try ScriptedHTTPServer { request in
                guard goodKeys.contains(request.header("X-Api-Key") ?? "") else {
                    return .json(#"{"message": "invalid API key \#(request.header("X-Api-Key") ?? "")"}"#, status: 401)
                }
                return .json(#"{"id": 1001, "name": "Ada", "plan": "pro"}"#)
            }
            environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path, "HOME": test.directory.path]
            let spec = try Examples.spec("acme-apikey", pointedAt: server.baseURL, in: test.directory.path)
            let result = try CommandRunner(product: "connvault").run(["types", "import", spec], environment: environment)
            precondition(result.status == 0, result.stderr)
        }
    }

    func json(_ text: String) throws -> Value { try Value(parsingJSON: Array(text.utf8)) }

    @Test func addReadsSecretsFromStandardInputAndFiles() throws {
        let fixture = try Fixture()
        let added = try connvault.run(["add", "acme-apikey", "--param", "apiKey=@-", "--json"],
                                      environment: fixture.environment, stdin: Self.canary + "\n")
        #expect(added.status == 0, "\(added.stderr)")
        let connection = try json(added.stdout)
        #expect(connection["name"] == "Ada" && connection["status"] == "valid" && connection["uid"] == "1001")
        #expect(fixture.server.requests.last?.header("X-Api-Key") == Self.canary)  // the newline was stripped

        let file = fixture.test.directory.file("key.txt")
        try Self.canary.write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try connvault.run(["add", "acme-apikey", "--name", "second", "--param", "apiKey=@\(file)"],
                                         environment: fixture.environment)
        #expect(fromFile.status == 0 && fromFile.stdout.contains("second (valid)"))
        for output in [added.stdout, added.stderr, fromFile.stdout, fromFile.stderr] { #expect(!output.contains(Self.canary)) }
    }

    @Test func aRefusedAddStoresNothingAndExits2() throws {
        let fixture = try Fixture()
        let refused = try connvault.run(["add", "acme-apikey", "--param", "apiKey=CANARY-wrong-1", "--json"],
                                        environment: fixture.environment)
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("Error: invalid: [401] invalid API key <redacted>"))
        let document = try json(refused.stdout)
        #expect(document.objectValue?.keys == ["outcome", "status", "httpStatus", "durationMs", "error"])
        #expect(document["outcome"] == "invalid" && document["httpStatus"] == 401)
        #expect(!refused.stdout.contains("CANARY") && !refused.stderr.contains("CANARY"))
        #expect(try fixture.test.reopen().connections().isEmpty)
    }

    @Test func badParametersExit65BeforeAnyRequest() throws {
        let fixture = try Fixture()
        let missing = try connvault.run(["add", "acme-apikey"], environment: fixture.environment)
        #expect(missing.status == 65 && missing.stderr.contains("apiKey: is required"))
        let unknown = try connvault.run(["add", "acme-apikey", "--param", "apiKey=x", "--param", "color=red"],
                                        environment: fixture.environment)
        #expect(unknown.status == 65 && unknown.stderr.contains("color"))
        let malformed = try connvault.run(["add", "acme-apikey", "--param", "apiKey"], environment: fixture.environment)
        #expect(malformed.status == 64)
        let noType = try connvault.run(["add", "ghost", "--param", "a=b"], environment: fixture.environment)
        #expect(noType.status == 65 && noType.stderr.contains("ghost"))
        #expect(fixture.server.requests.isEmpty)
    }

    @Test func revalidateReportsEveryConnectionAndExits2WhenOneFails() throws {
        let fixture = try Fixture(goodKeys: [Self.canary, "k2"])
        for (index, key) in [Self.canary, "k2", "k3"].enumerated() {
            let result = try connvault.run(["add", "acme-apikey", "--name", "c\(index)", "--no-verify", "--param", "apiKey=@-"],
                                           environment: fixture.environment, stdin: key)
            #expect(result.status == 0)
        }
        let all = try connvault.run(["revalidate", "--all", "--json", "--concurrency", "2", "--log"], environment: fixture.environment)
        #expect(all.status == 2)
        let array = try #require(try json(all.stdout).arrayValue)
        let ids = array.compactMap { $0["id"]?.stringValue }
        #expect(ids == ids.sorted() && ids.count == 3)
        #expect(array[0].objectValue?.keys == ["id", "outcome", "status", "httpStatus", "durationMs", "error"])
        #expect(array.map { $0["outcome"]?.stringValue ?? "" }.sorted() == ["invalid", "valid", "valid"])
        #expect(all.stderr.contains(#""x-api-key":"<redacted>""#))  // --log, with log.sanitize applied
        #expect(!all.stdout.contains(Self.canary) && !all.stderr.contains(Self.canary))

        let one = try connvault.run(["revalidate", String(ids[0].prefix(8))], environment: fixture.environment)
        #expect([0, 2].contains(one.status) && one.stdout.contains("1 of 1 checked"))
        let due = try connvault.run(["revalidate", "--due", "--json"], environment: fixture.environment)
        // Due: never verified successfully (the invalid one); the valid ones were checked just now.
        #expect(try json(due.stdout).arrayValue?.map { $0["outcome"] } == ["invalid"] && due.status == 2)
        let usage = try connvault.run(["revalidate", "--all", ids[0]], environment: fixture.environment)
        #expect(usage.status == 64)
    }

    @Test func revalidateTableIsAlignedWhileItStreams() throws {
        let fixture = try Fixture(goodKeys: ["k1"])
        for (name, key) in [("a", "k1"), ("a much longer connection name", "k2")] {
            let result = try connvault.run(["add", "acme-apikey", "--name", name, "--no-verify", "--param", "apiKey=@-"],
                                           environment: fixture.environment, stdin: key)
            #expect(result.status == 0)
        }
        let table = try connvault.run(["revalidate", "--all"], environment: fixture.environment)
        #expect(table.status == 2)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4 && lines[3] == "2 of 2 checked: 1 valid, 1 invalid")
        // Every column starts where its header does, whatever the row's name or outcome.
        for header in ["OUTCOME", "HTTP", "DURATION", "ERROR"] {
            let column = try #require(lines[0].range(of: header)).lowerBound.utf16Offset(in: lines[0])
            for line in lines[1...2] where column < line.utf16.count {  // a valid row's ERROR is empty
                let cell = line.utf16.index(line.utf16.startIndex, offsetBy: column)
                #expect(line.utf16[line.utf16.index(before: cell)] == 32 && line.utf16[cell] != 32, "\(header) in \(line)")
            }
        }
        let none = try connvault.run(["revalidate", "--all", "--type", "acme-basic", "--json"], environment: fixture.environment)
        #expect(none.status == 0 && none.stdout == "[]\n")
    }

    /// `add`, `update` and `revalidate` open the vault on the main thread while libcurl loads and run the rest in a
    /// task; they still close it before the process exits, as every other command does: with no other process
    /// holding it, SQLite then copies the WAL into the file and deletes it.
    @Test func theHTTPCommandsCloseTheVaultBeforeExiting() throws {
        let server = try ScriptedHTTPServer { _ in .json(#"{"id": 1001, "name": "Ada", "plan": "pro"}"#) }
        defer { server.stop() }
        let directory = TemporaryDirectory()
        let path = directory.file("vault.db")
        let environment = ["CONNVAULT_KEY": TestVault.randomKeyBase64(), "CONNVAULT_PATH": path, "HOME": directory.path]
        #expect(try connvault.run(["init"], environment: environment).status == 0)
        let spec = try Examples.spec("acme-apikey", pointedAt: server.baseURL, in: directory.path)
        #expect(try connvault.run(["types", "import", spec], environment: environment).status == 0)
        let wal = path + "-wal"
        let add = try connvault.run(["add", "acme-apikey", "--name", "a", "--param", "apiKey=@-"], environment: environment,
                                    stdin: Self.canary)
        #expect(add.status == 0 && !FileManager.default.fileExists(atPath: wal), "\(add.stderr)")
        let id = try #require(add.stdout.split(separator: " ").dropFirst().first.map(String.init))
        let update = try connvault.run(["update", id, "--param", "apiKey=@-"], environment: environment, stdin: Self.canary)
        #expect(update.status == 0 && !FileManager.default.fileExists(atPath: wal), "\(update.stderr)")
        let revalidate = try connvault.run(["revalidate", "--all"], environment: environment)
        #expect(revalidate.status == 0 && !FileManager.default.fileExists(atPath: wal), "\(revalidate.stderr)")
        // The file alone holds the three runs' history.
        let runs = RawDatabase(path: path).query("SELECT count(*) FROM history")[0][0].integer
        #expect(runs == 3)
    }

    /// A connection that cannot be opened on the first page (loaded on the main thread before the task) is reported
    /// like one on a later page: after the output so far — `[]`, or the table's header — with status 1.
    @Test func aDamagedConnectionOnTheFirstPageStillEndsTheOutput() throws {
        let fixture = try Fixture()
        let added = try connvault.run(["add", "acme-apikey", "--name", "a", "--no-verify", "--param", "apiKey=@-"],
                                      environment: fixture.environment, stdin: Self.canary)
        #expect(added.status == 0)
        RawDatabase(path: fixture.test.path).query("UPDATE connections SET sealed = zeroblob(80) WHERE name = 'a'")
        let json = try connvault.run(["revalidate", "--all", "--json"], environment: fixture.environment)
        #expect(json.status == 1 && json.stdout == "[]\n" && json.stderr.hasPrefix("Error: "), "\(json)")
        let table = try connvault.run(["revalidate", "--all"], environment: fixture.environment)
        #expect(table.status == 1 && table.stdout.hasPrefix("ID ") && table.stdout.split(separator: "\n").count == 1,
                "\(table)")
    }

    @Test func updateVerifiesNewParametersAndRefusesAnotherAccount() throws {
        let fixture = try Fixture(goodKeys: [Self.canary, "rotated"])
        let added = try connvault.run(["add", "acme-apikey", "--param", "apiKey=@-", "--json"], environment: fixture.environment,
                                      stdin: Self.canary)
        let id = try #require(try json(added.stdout)["id"]?.stringValue)
        let bad = try connvault.run(["update", id, "--param", "apiKey=nope"], environment: fixture.environment)
        #expect(bad.status == 2 && bad.stderr.contains("invalid"))
        let good = try connvault.run(["update", id, "--param", "apiKey=rotated", "--name", "Ada (rotated)", "--json"],
                                     environment: fixture.environment)
        let updated = try json(good.stdout)
        #expect(good.status == 0 && updated["name"] == "Ada (rotated)")
        #expect(try fixture.test.reopen().secrets(of: UUID(uuidString: id)!).parameters["apiKey"] == "rotated")
    }
}
