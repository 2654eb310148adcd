import Testing

@testable import connvault

/// Every command and flag shape of `cli.md`, parsed by the real `connvault` command tree.
struct ConnvaultCommandLineTests {
    let parser = CommandLineParser(root: ConnvaultCommandLine.root(version: "1.2.3"))

    private func run(_ arguments: String...) throws -> ParsedCommand {
        guard case .run(let command) = try parser.parse(arguments) else {
            throw Unexpected.notRun(arguments)
        }
        return command
    }

    private func error(_ arguments: String...) -> UsageError? {
        do {
            _ = try parser.parse(arguments)
            return nil
        } catch {
            return error
        }
    }

    private enum Unexpected: Error {
        case notRun([String])
    }

    @Test func declarationIsSound() {
        #expect(parser.root.declarationProblems() == [])
    }

    @Test func initWithKeyFileOrPassphrase() throws {
        let plain = try run("init")
        #expect(plain.name == "init")
        #expect(!plain.flag("passphrase"))
        #expect(plain.string("key-file") == nil)
        let both = try run("init", "--passphrase", "--key-file", "/k", "--vault", "/v.db")
        #expect(both.flag("passphrase"))
        #expect(both.string("key-file") == "/k")
        #expect(both.string("vault") == "/v.db")
    }

    @Test func typesSubcommands() throws {
        let imported = try run("types", "import", "a.json", "folder", "--vault=/v.db", "app")
        #expect(imported.path == ["types", "import"])
        #expect(imported.strings("path") == ["a.json", "folder", "app"])
        #expect(imported.string("vault") == "/v.db")
        #expect(
            error("types", "import") == UsageError(.missingArgument("<path> ..."), commandPath: ["types", "import"]))

        #expect(try run("types", "list", "--json").flag("json"))
        let shown = try run("types", "show", "acme-apikey")
        #expect(shown.name == "types show")
        #expect(shown.string("name") == "acme-apikey")
        #expect(!shown.flag("json"))
    }

    @Test func commonSetFromFileOrStandardInput() throws {
        let fromFile = try run("common", "set", "acme", "--file", "c.json")
        #expect(fromFile.string("type") == "acme")
        #expect(fromFile.string("file") == "c.json")
        #expect(fromFile.string("input") == nil)
        let fromStdin = try run("common", "set", "acme", "-")
        #expect(fromStdin.string("input") == "-")
        #expect(fromStdin.string("file") == nil)

        #expect(error("common", "set", "acme")?.commandPath == ["common", "set"])
        #expect(error("common", "set", "acme", "-", "--file", "f")?.commandPath == ["common", "set"])
        #expect(
            error("common", "set", "acme", "data.json")
                == UsageError(.unexpectedArguments(["data.json"]), commandPath: ["common", "set"]))
    }

    @Test func commonShow() throws {
        let shown = try run("common", "show", "acme", "--reveal", "--json")
        #expect(shown.path == ["common", "show"])
        #expect(shown.flag("reveal") && shown.flag("json"))
    }

    @Test func addWithRepeatedParams() throws {
        let added = try run(
            "add", "acme-apikey", "--name", "Prod", "--param", "apiKey=@key.txt", "--param=region=eu",
            "--param", "password=@-", "--params-file", "-", "--no-verify", "--json")
        #expect(added.string("type") == "acme-apikey")
        #expect(added.string("name") == "Prod")
        #expect(added.strings("param") == ["apiKey=@key.txt", "region=eu", "password=@-"])
        #expect(added.string("params-file") == "-")
        #expect(added.flag("no-verify") && added.flag("json"))

        let bare = try run("add", "acme-apikey")
        #expect(bare.strings("param") == [])
        #expect(!bare.flag("no-verify"))
        #expect(
            error("add", "acme-apikey", "--param")
                == UsageError(.missingValue(option: "--param <name=value>"), commandPath: ["add"]))
    }

    @Test func listFilters() throws {
        let listed = try run("list", "--type", "acme", "--status", "needs-input", "--json")
        #expect(listed.string("type") == "acme")
        #expect(listed.string("status") == "needs-input")
        #expect(try run("list").string("status") == nil)
    }

    @Test func showAndUpdateAndRename() throws {
        let shown = try run("show", "3f2a", "--reveal")
        #expect(shown.string("id") == "3f2a")
        #expect(shown.flag("reveal") && !shown.flag("json"))

        let updated = try run("update", "3f2a", "--param", "a=1", "--param", "b=2", "--name", "New", "--json")
        #expect(updated.strings("param") == ["a=1", "b=2"])
        #expect(updated.string("name") == "New")
        #expect(updated.string("params-file") == nil)

        let renamed = try run("rename", "3f2a", "Old name")
        #expect(renamed.string("id") == "3f2a")
        #expect(renamed.string("name") == "Old name")
        #expect(error("rename", "3f2a") == UsageError(.missingArgument("<name>"), commandPath: ["rename"]))
    }

    @Test func revalidateIdsAllOrDue() throws {
        let ids = try run("revalidate", "a1", "b2", "--concurrency", "2", "--log")
        #expect(ids.strings("id") == ["a1", "b2"])
        #expect(ids.int("concurrency") == 2)
        #expect(ids.flag("log") && !ids.flag("all"))

        let all = try run("revalidate", "--all", "--type", "acme", "--json")
        #expect(all.flag("all"))
        #expect(all.strings("id") == [])
        #expect(all.int("concurrency") == 8)

        let due = try run("revalidate", "--due", "--within", "90s", "--older-than=7d")
        #expect(due.flag("due"))
        #expect(due.string("within") == "90s")
        #expect(due.string("older-than") == "7d")
        let dueDefaults = try run("revalidate", "--due")
        #expect(dueDefaults.string("within") == "10m")
        #expect(dueDefaults.string("older-than") == "24h")
        #expect(!dueDefaults.isGiven("within"))
    }

    @Test(arguments: [
        ["revalidate"],
        ["revalidate", "a1", "--all"],
        ["revalidate", "--all", "--due"],
        ["revalidate", "--all", "--within", "10m"],
        ["revalidate", "a1", "--older-than", "1h"],
    ])
    func revalidateRejectsMixtures(arguments: [String]) {
        #expect(throws: UsageError.self) { try parser.parse(arguments) }
        guard case .exit(_, .standardError, 64) = parser.action(for: arguments) else {
            Issue.record("expected a usage error for \(arguments)")
            return
        }
    }

    @Test func revalidateChecksNumbersAndDurations() {
        #expect(
            error("revalidate", "--all", "--concurrency", "0")
                == UsageError(
                    .invalidValue("0", argument: "--concurrency <n>", hint: "expected an integer from 1 to 512"),
                    commandPath: ["revalidate"]))
        // Above the cap, up to a number that overflowed the run window's arithmetic (a crash, once).
        for value in ["513", "9223372036854775807", "99999999999999999999"] {
            #expect(
                error("revalidate", "--all", "--concurrency", value)
                    == UsageError(
                        .invalidValue(value, argument: "--concurrency <n>", hint: "expected an integer from 1 to 512"),
                        commandPath: ["revalidate"]))
        }
        #expect((try? run("revalidate", "--all", "--concurrency", "512"))?.int("concurrency") == 512)
        #expect(
            error("revalidate", "--due", "--within", "10 minutes")
                == UsageError(
                    .invalidValue(
                        "10 minutes", argument: "--within <duration>",
                        hint: "expected a duration like 90s, 10m, 24h or 7d"),
                    commandPath: ["revalidate"]))
    }

    @Test func removeManyWithYes() throws {
        let removed = try run("remove", "a1", "b2", "c3", "--yes")
        #expect(removed.strings("id") == ["a1", "b2", "c3"])
        #expect(removed.flag("yes"))
        #expect(error("remove", "--yes") == UsageError(.missingArgument("<id> ..."), commandPath: ["remove"]))
    }

    @Test func historyLimit() throws {
        let history = try run("history", "3f2a", "--limit", "5", "--json")
        #expect(history.int("limit") == 5)
        #expect(try run("history", "3f2a").int("limit") == nil)
        #expect(
            error("history", "3f2a", "--limit", "abc")
                == UsageError(
                    .invalidValue("abc", argument: "--limit <n>", hint: "expected a non-negative integer"),
                    commandPath: ["history"]))
    }

    @Test func findNeedsUid() throws {
        let found = try run("find", "--uid", "42", "--type", "acme")
        #expect(found.string("uid") == "42")
        #expect(error("find", "--type", "acme") == UsageError(.missingArgument("--uid <uid>"), commandPath: ["find"]))
    }

    @Test func keySubcommands() throws {
        #expect(try run("key", "rotate").path == ["key", "rotate"])
        let changed = try run("key", "change-master", "--passphrase", "--key-file", "/new.key")
        #expect(changed.path == ["key", "change-master"])
        #expect(changed.flag("passphrase"))
        #expect(changed.string("key-file") == "/new.key")
        #expect(
            error("key", "rotat") == UsageError(.unknownCommand("rotat", suggestion: "rotate"), commandPath: ["key"]))
        #expect(try parser.parse(["key"]) == .help(commandPath: ["key"]))
    }

    @Test func exportAndImport() throws {
        #expect(try run("export", "--out", "backup.cva").string("out") == "backup.cva")
        #expect(error("export") == UsageError(.missingArgument("--out <file>"), commandPath: ["export"]))
        #expect(try run("import", "backup.cva").string("file") == "backup.cva")
        #expect(try run("doctor", "--json").flag("json"))
    }

    @Test func evalTakesTemplatesThatLookLikeAnything() throws {
        let text = try run("eval", "Bearer {{x}}", "--context", "ctx.json")
        #expect(text.string("template") == "Bearer {{x}}")
        #expect(text.string("context") == "ctx.json")
        #expect(try run("eval", "{\"a\":\"{{x}}\"}", "--context", "-").string("context") == "-")
        #expect(try run("eval", "--", "-5").string("template") == "-5")
        #expect(try run("eval", "5").string("context") == nil)
        #expect(
            error("eval", "5", "--vault", "v")
                == UsageError(.unknownOption("--vault", suggestion: nil), commandPath: ["eval"]))
    }

    @Test func helpAndVersion() throws {
        #expect(try parser.parse(["--help"]) == .help(commandPath: []))
        #expect(try parser.parse(["--version"]) == .version("1.2.3"))
        #expect(try parser.parse(["help", "types", "import"]) == .help(commandPath: ["types", "import"]))
        #expect(try parser.parse(["key", "change-master", "--help"]) == .help(commandPath: ["key", "change-master"]))
        #expect(try parser.parse(["add", "acme", "--param", "x=1", "-h"]) == .help(commandPath: ["add"]))
    }

    @Test func unknownCommandSuggestsTheNearestName() {
        #expect(error("lst") == UsageError(.unknownCommand("lst", suggestion: "list"), commandPath: []))
        #expect(
            error("revalidat") == UsageError(.unknownCommand("revalidat", suggestion: "revalidate"), commandPath: []))
        #expect(
            error("types", "lsit") == UsageError(.unknownCommand("lsit", suggestion: "list"), commandPath: ["types"]))
        #expect(error("frobnicate") == UsageError(.unknownCommand("frobnicate", suggestion: nil), commandPath: []))
    }
}
