import Testing

@testable import connvault

struct CommandLineParserTests {
    let parser = ParserFixture.parser

    // MARK: Values

    @Test func positionalsFlagsAndOptions() throws {
        let command = try ParserFixture.run("get abc --json -o out.txt")
        #expect(command.path == ["get"])
        #expect(command.name == "get")
        #expect(command.string("id") == "abc")
        #expect(command.string("field") == nil)
        #expect(command.flag("json"))
        #expect(command.string("out") == "out.txt")
    }

    @Test func optionalPositionalAndAbsentFlag() throws {
        let command = try ParserFixture.run("get abc name")
        #expect(command.string("field") == "name")
        #expect(!command.flag("json"))
        #expect(!command.isGiven("out"))
    }

    @Test func optionsMayPrecedePositionals() throws {
        let command = try ParserFixture.run("get --out x.txt abc --json")
        #expect(command.string("id") == "abc")
        #expect(command.string("out") == "x.txt")
    }

    @Test func equalsFormKeepsLaterEqualsSigns() throws {
        let command = try ParserFixture.run("put a --tag=t --param=NAME=VALUE --param user=@- --param=empty=")
        #expect(command.strings("param") == ["NAME=VALUE", "user=@-", "empty="])
        #expect(command.string("tag") == "t")
    }

    @Test func repeatingPositionalKeepsOrder() throws {
        let command = try ParserFixture.run("put b.json a.json --tag t c")
        #expect(command.strings("path") == ["b.json", "a.json", "c"])
    }

    @Test func singleValuedOptionGivenTwiceKeepsTheLast() throws {
        let command = try ParserFixture.run("get a --out one --out two")
        #expect(command.string("out") == "two")
        #expect(command.strings("out") == ["one", "two"])
    }

    @Test func integersAndDefaults() throws {
        let command = try ParserFixture.run("put a --tag t --limit 5")
        #expect(command.int("limit") == 5)
        #expect(command.int("jobs") == 8)
        #expect(!command.isGiven("jobs"))
        let negative = try ParserFixture.run("put a --tag t --limit=-3 --jobs 2")
        #expect(negative.int("limit") == -3)
        #expect(negative.int("jobs") == 2)
        #expect(try ParserFixture.run("put a --tag t").int("limit") == nil)
    }

    @Test func dashAloneIsAValue() throws {
        #expect(try ParserFixture.run("get -").string("id") == "-")
        #expect(try ParserFixture.run("get a --out -").string("out") == "-")
    }

    @Test func doubleDashEndsOptions() throws {
        let command = try ParserFixture.run("get -- --json -x")
        #expect(command.string("id") == "--json")
        #expect(command.string("field") == "-x")
        #expect(!command.flag("json"))
        #expect(try ParserFixture.run("get a -- --help").string("field") == "--help")
    }

    @Test func optionalPositionalLeavesRoomForARequiredOne() throws {
        let two = try ParserFixture.run("pair a b")
        #expect(two.string("first") == "a")
        #expect(two.string("middle") == nil)
        #expect(two.string("last") == "b")
        let three = try ParserFixture.run("pair a b c")
        #expect(three.string("middle") == "b")
        #expect(three.string("last") == "c")
    }

    @Test func nestedSubcommand() throws {
        let command = try ParserFixture.run("group leaf --yes")
        #expect(command.path == ["group", "leaf"])
        #expect(command.name == "group leaf")
        #expect(command.flag("yes"))
    }

    @Test func validationHookAcceptsAndRejects() throws {
        #expect(try ParserFixture.run("pick a b").strings("id") == ["a", "b"])
        #expect(try ParserFixture.run("pick --all").flag("all"))
        #expect(ParserFixture.error("pick a --all") == UsageError("Give ids or --all.", commandPath: ["pick"]))
        #expect(ParserFixture.error("pick") == UsageError("Give ids or --all.", commandPath: ["pick"]))
    }

    @Test func validationHookMayThrowAnyError() {
        struct Refusal: Error, CustomStringConvertible {
            var description: String { "Not today." }
        }
        let root = CommandSpec(
            "t", abstract: "", subcommands: [CommandSpec("go", abstract: "", validate: { _ in throw Refusal() })])
        #expect(throws: UsageError("Not today.", commandPath: ["go"])) {
            try CommandLineParser(root: root).parse(["go"])
        }
    }

    // MARK: Help and version

    @Test(
        arguments: [
            ("--help", []),
            ("-h", []),
            ("get --help", ["get"]),
            ("get abc -h", ["get"]),
            ("get --jsn --help", ["get"]),
            ("get --out --help", ["get"]),
            ("group leaf --yes -h", ["group", "leaf"]),
            ("group --help leaf", ["group", "leaf"]),
            ("help", []),
            ("help get", ["get"]),
            ("help group leaf", ["group", "leaf"]),
            ("help help", ["help"]),
            ("help --help", ["help"]),
            ("", []),
            ("group", ["group"]),
        ] as [(String, [String])])
    func helpRequests(line: String, path: [String]) throws {
        #expect(try parser.parse(ParserFixture.words(line)) == .help(commandPath: path))
    }

    @Test func helpWinsOverAnEarlierError() throws {
        #expect(try parser.parse(["nosuch", "--help"]) == .help(commandPath: []))
        #expect(try parser.parse(["put", "--limit", "abc", "-h"]) == .help(commandPath: ["put"]))
    }

    @Test func versionOnTheRootOnly() throws {
        #expect(try parser.parse(["--version"]) == .version("9.8.7"))
        #expect(try parser.parse(["--version", "--help"]) == .help(commandPath: []))
        #expect(
            ParserFixture.error("get a --version")
                == UsageError(.unknownOption("--version", suggestion: nil), commandPath: ["get"]))
        let unversioned = CommandLineParser(root: CommandSpec("x", abstract: "", subcommands: [ParserFixture.root]))
        #expect(throws: UsageError.self) { try unversioned.parse(["--version"]) }
    }

    @Test func helpCommandRejectsUnknownNames() {
        #expect(
            ParserFixture.error("help gte")
                == UsageError(.unknownCommand("gte", suggestion: "get"), commandPath: []))
        #expect(
            ParserFixture.error("help group laef")
                == UsageError(.unknownCommand("laef", suggestion: "leaf"), commandPath: ["group"]))
        #expect(
            ParserFixture.error("help get extra")
                == UsageError(.unexpectedArguments(["extra"]), commandPath: ["get"]))
    }

    // MARK: Errors

    @Test(arguments: [
        ("gte a", UsageError(.unknownCommand("gte", suggestion: "get"), commandPath: [])),
        ("frobnicate", UsageError(.unknownCommand("frobnicate", suggestion: nil), commandPath: [])),
        ("group leef", UsageError(.unknownCommand("leef", suggestion: "leaf"), commandPath: ["group"])),
        ("get a --jsn", UsageError(.unknownOption("--jsn", suggestion: "--json"), commandPath: ["get"])),
        ("get a --frobnicate", UsageError(.unknownOption("--frobnicate", suggestion: nil), commandPath: ["get"])),
        ("get a -x", UsageError(.unknownOption("-x", suggestion: nil), commandPath: ["get"])),
        ("get a --hlep", UsageError(.unknownOption("--hlep", suggestion: "--help"), commandPath: ["get"])),
        ("--jsn", UsageError(.unknownOption("--jsn", suggestion: nil), commandPath: [])),
        ("get a --out", UsageError(.missingValue(option: "--out <file>"), commandPath: ["get"])),
        ("get a -o", UsageError(.missingValue(option: "-o <file>"), commandPath: ["get"])),
        ("get a --out --json", UsageError(.missingValue(option: "--out <file>"), commandPath: ["get"])),
        ("get a --json=yes", UsageError(.unexpectedValue(flag: "--json", value: "yes"), commandPath: ["get"])),
        ("get", UsageError(.missingArgument("<id>"), commandPath: ["get"])),
        ("put --tag t", UsageError(.missingArgument("<path> ..."), commandPath: ["put"])),
        ("put a", UsageError(.missingArgument("--tag <tag>"), commandPath: ["put"])),
        ("pair a", UsageError(.missingArgument("<last>"), commandPath: ["pair"])),
        ("get a b c", UsageError(.unexpectedArguments(["c"]), commandPath: ["get"])),
        ("get a b c d", UsageError(.unexpectedArguments(["c", "d"]), commandPath: ["get"])),
        (
            "put a --tag t --limit abc",
            UsageError(.invalidValue("abc", argument: "--limit <n>", hint: "expected an integer"), commandPath: ["put"])
        ),
        (
            "put a --tag t --jobs=0",
            UsageError(
                .invalidValue("0", argument: "--jobs <n>", hint: "expected a positive integer"), commandPath: ["put"])
        ),
        ("put a --tag t --limit -1", UsageError(.missingValue(option: "--limit <n>"), commandPath: ["put"])),
        ("get a --jsn --bad", UsageError(.unknownOption("--jsn", suggestion: "--json"), commandPath: ["get"])),
    ])
    func usageErrors(line: String, expected: UsageError) {
        #expect(ParserFixture.error(line) == expected)
    }

    @Test func typedPositionalIsChecked() throws {
        let root = CommandSpec(
            "t", abstract: "",
            subcommands: [
                CommandSpec("n", abstract: "", arguments: [.positional("count", type: .integer(atLeast: 2), help: "")])
            ])
        let parser = CommandLineParser(root: root)
        let reason = UsageError.Reason.invalidValue("1", argument: "<count>", hint: "expected an integer of at least 2")
        #expect(throws: UsageError(reason, commandPath: ["n"])) { try parser.parse(["n", "1"]) }
        guard case .run(let command) = try parser.parse(["n", "2"]) else {
            Issue.record("expected a command to run")
            return
        }
        #expect(command.int("count") == 2)
    }

    @Test func fixtureDeclarationIsSound() {
        #expect(parser.root.declarationProblems() == [])
    }

    @Test func declarationProblemsAreFound() {
        let bad = CommandSpec(
            "bad", abstract: "",
            arguments: [.flag("x", help: "")],
            subcommands: [
                CommandSpec(
                    "one", abstract: "",
                    arguments: [
                        .positional("a", .zeroOrMore, help: ""),
                        .positional("b", help: ""),
                        .flag("b", short: "h", help: ""),
                    ]),
                CommandSpec(
                    "one", abstract: "",
                    arguments: [.positional("a", .optional, help: ""), .positional("b", help: "")]),
            ])
        #expect(
            Set(bad.declarationProblems()) == [
                "'bad' has both subcommands and arguments",
                "'bad' has two subcommands named 'one'",
                "'bad one' declares 'b' more than once",
                "'bad one' declares '-h' more than once",
                "'bad one' declares '<b>' after a repeating argument",
            ])
    }
}
