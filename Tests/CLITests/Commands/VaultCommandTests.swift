import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

/// The commands that work on stored data: types, common, list, show, rename, remove, history, find, key, doctor.
@Suite("connvault vault commands")
struct VaultCommandTests {
    let connvault = CommandRunner(product: "connvault")

    /// A vault seeded through the Swift API, and the environment that lets the CLI open it.
    struct Fixture {
        let test: TestVault
        let environment: [String: String]
        let jane: Connection
        let john: Connection

        init() throws {
            test = try TestVault()
            environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path, "HOME": test.directory.path]
            try test.importAPIKeyType()
            jane = try test.addVerified(name: "jane", apiKey: "CANARY-apikey-jane", uid: "42")
            john = try test.addVerified(name: "john", apiKey: "CANARY-apikey-john", uid: "43")
        }
    }

    func json(_ text: String) throws -> Value { try Value(parsingJSON: Array(text.utf8)) }

    @Test func listShowFindAsJSONFollowTheContract() throws {
        let fixture = try Fixture()
        let list = try connvault.run(["list", "--json"], environment: fixture.environment)
        #expect(list.status == 0, "\(list.stderr)")
        let array = try #require(try json(list.stdout).arrayValue)
        #expect(array.count == 2)
        let first = try #require(array.first?.objectValue)
        #expect(first.keys == ["id", "type", "name", "status", "metadata", "uid", "verifiedAt", "expiresAt",
                               "lastError", "specVersion", "createdAt", "updatedAt"])
        #expect(first["metadata"] == ["type": "text", "value": .string(first["name"]?.stringValue ?? "")])
        #expect(!list.stdout.contains("CANARY"))

        let prefix = String(fixture.jane.id.uuidString.lowercased().prefix(8))
        let show = try connvault.run(["show", prefix, "--json"], environment: fixture.environment)
        #expect(try json(show.stdout)["name"] == "jane" && !show.stdout.contains("CANARY"))
        let revealed = try connvault.run(["show", prefix, "--reveal", "--json"], environment: fixture.environment)
        #expect(try json(revealed.stdout)["data"] == ["apiKey": "CANARY-apikey-jane"])
        #expect(try json(revealed.stdout).objectValue?.keys.last == "data")

        let find = try connvault.run(["find", "--uid", "43", "--json"], environment: fixture.environment)
        #expect(try json(find.stdout).arrayValue?.map { $0["name"] } == ["john"])
        let filtered = try connvault.run(["list", "--status", "invalid", "--json"], environment: fixture.environment)
        #expect(filtered.stdout == "[]\n")
        #expect(try connvault.run(["list", "--status", "bogus"], environment: fixture.environment).status == 65)
        let human = try connvault.run(["list"], environment: fixture.environment)
        #expect(human.stdout.hasPrefix("ID ") && human.stdout.contains("jane") && human.stdout.contains("valid"))
    }

    @Test func idsAmbiguousAndUnknown() throws {
        let fixture = try Fixture()
        let unknown = try connvault.run(["show", "ffffffff-0000"], environment: fixture.environment)
        #expect(unknown.status == 65 && unknown.stderr.contains("no connection"))
        let all = try connvault.run(["show", ""], environment: fixture.environment)
        #expect(all.status == 65 && all.stderr.contains("ambiguous"))
        #expect(all.stderr.contains(fixture.jane.id.uuidString.lowercased()))
    }

    @Test func renameRemoveAndHistory() throws {
        let fixture = try Fixture()
        let id = fixture.jane.id.uuidString.lowercased()
        #expect(try connvault.run(["rename", id, "Jane Doe"], environment: fixture.environment).status == 0)
        #expect(try fixture.test.reopen().connection(fixture.jane.id).name == "Jane Doe")
        let history = try connvault.run(["history", id, "--json"], environment: fixture.environment)
        let entries = try #require(try json(history.stdout).arrayValue)
        #expect(entries.count == 1)
        #expect(entries[0].objectValue?.keys == ["at", "specVersion", "outcome", "httpStatus", "durationMs", "error"])
        #expect(try connvault.run(["history", id, "--limit", "0", "--json"], environment: fixture.environment).stdout == "[]\n")

        let refused = try connvault.run(["remove", id], environment: fixture.environment)
        #expect(refused.status == 64 && refused.stderr.contains("--yes"))
        #expect(try connvault.run(["remove", id, "--yes"], environment: fixture.environment).status == 0)
        #expect(try fixture.test.reopen().connections().map(\.id) == [fixture.john.id])
    }

    @Test func keysAreCheckedBeforeAnything() throws {
        let fixture = try Fixture()
        var wrong = fixture.environment
        wrong["CONNVAULT_KEY"] = TestVault.randomKeyBase64()
        // The HTTP commands check it on the main thread while libcurl loads on another, and wait for that load
        // before exiting. (Without the wait, about 1 run in 100 crashed in exit's cleanup: this only exercises it.)
        for arguments in [["list"], ["types", "list"], ["rename", "x", "y"], ["doctor"], ["revalidate", "--all"],
                          ["add", "acme-apikey", "--no-verify"], ["update", "x"]] {
            let result = try connvault.run(arguments, environment: wrong)
            #expect(result.status == 77 && result.stderr.contains("wrong master key"), "\(arguments)")
        }
        var none = fixture.environment
        none["CONNVAULT_KEY"] = nil
        let missing = try connvault.run(["list"], environment: none)
        #expect(missing.status == 77 && missing.stderr.contains("no master key"))
        let noVault = try connvault.run(["list"], environment: ["CONNVAULT_PATH": fixture.test.directory.file("none.db"),
                                                                "CONNVAULT_KEY": fixture.test.keyBase64])
        #expect(noVault.status == 1 && noVault.stderr.contains("connvault init"))
    }

    @Test func typesImportListShowAndCommonData() throws {
        let fixture = try Fixture()
        let spec = Corpus.folder + "/raw/ichy77-openrouter-basic-auth"
        let imported = try connvault.run(["types", "import", spec], environment: fixture.environment)
        #expect(imported.status == 0 && imported.stdout.contains("ichy77-openrouter-basic-auth"), "\(imported.stderr)")
        let again = try connvault.run(["types", "import", spec], environment: fixture.environment)
        #expect(again.stdout.contains("version 2"))
        let list = try json(try connvault.run(["types", "list", "--json"], environment: fixture.environment).stdout)
        #expect(list.arrayValue?.map { $0["name"] } == ["acme-apikey", "ichy77-openrouter-basic-auth"])
        let show = try json(try connvault.run(["types", "show", "acme-apikey", "--json"], environment: fixture.environment).stdout)
        #expect(show.objectValue?.keys == ["name", "label", "version", "importedAt", "connections", "spec"])
        #expect(show["connections"] == 2)

        let set = try connvault.run(["common", "set", "acme-apikey", "-"], environment: fixture.environment,
                                    stdin: #"{"clientSecret": "CANARY-common"}"#)
        #expect(set.status == 0 && !set.stdout.contains("CANARY"))
        let hidden = try connvault.run(["common", "show", "acme-apikey", "--json"], environment: fixture.environment)
        #expect(hidden.stdout == #"{"type":"acme-apikey","keys":["clientSecret"]}"# + "\n")
        let revealed = try connvault.run(["common", "show", "acme-apikey", "--reveal", "--json"], environment: fixture.environment)
        #expect(try json(revealed.stdout)["data"] == ["clientSecret": "CANARY-common"])
        #expect(try connvault.run(["common", "set", "acme-apikey", "-"], environment: fixture.environment, stdin: "[1]").status == 65)
    }

    @Test func aMalformedSpecExits65WithItsJSONPath() throws {
        let fixture = try Fixture()
        let file = fixture.test.directory.file("bad.json")
        try #"{"communication": {"url": "https://x.test", "respons": {}}}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try connvault.run(["types", "import", file], environment: fixture.environment)
        #expect(result.status == 65 && result.stderr.contains("communication.respons"))
        #expect(try fixture.test.reopen().types().count == 1)
    }

    @Test func keyRotateChangeMasterAndDoctor() throws {
        let fixture = try Fixture()
        let rotate = try connvault.run(["key", "rotate"], environment: fixture.environment)
        #expect(rotate.status == 0 && rotate.stdout.contains("version 2") && rotate.stdout.contains("2 sealed values"))
        let doctor = try connvault.run(["doctor", "--json"], environment: fixture.environment)
        #expect(doctor.status == 0 && doctor.stdout.hasPrefix(#"{"ok":true,"findings":["#))

        let newKey = fixture.test.directory.file("new.key")
        let change = try connvault.run(["key", "change-master", "--key-file", newKey], environment: fixture.environment)
        #expect(change.status == 0, "\(change.stderr)")
        #expect(try connvault.run(["list"], environment: fixture.environment).status == 77)
        var moved = fixture.environment
        moved["CONNVAULT_KEY"] = nil
        moved["CONNVAULT_KEY_FILE"] = newKey
        #expect(try connvault.run(["list", "--json"], environment: moved).status == 0)

        RawDatabase(path: fixture.test.path).query("UPDATE connections SET sealed = zeroblob(80) WHERE name = 'john'")
        let broken = try connvault.run(["doctor"], environment: moved)
        #expect(broken.status == 1 && broken.stdout.contains("FAIL") && broken.stdout.contains(fixture.john.id.uuidString.lowercased()))
    }
}
