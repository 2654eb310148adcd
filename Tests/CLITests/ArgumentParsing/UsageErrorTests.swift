import Testing

@testable import connvault

/// Usage-error wording and the complete report the CLI writes to standard error.
struct UsageErrorTests {
    let connvault = CommandLineParser(root: ConnvaultCommandLine.root(version: "1.2.3"))

    @Test(arguments: [
        (UsageError.Reason.unknownCommand("lst", suggestion: "list"), "Unknown command 'lst'. Did you mean 'list'?"),
        (.unknownCommand("zzz", suggestion: nil), "Unknown command 'zzz'"),
        (.unknownOption("--jsn", suggestion: "--json"), "Unknown option '--jsn'. Did you mean '--json'?"),
        (.unknownOption("-x", suggestion: nil), "Unknown option '-x'"),
        (.missingValue(option: "--name <name>"), "Missing value for '--name <name>'"),
        (
            .unexpectedValue(flag: "--json", value: "1"),
            "The option '--json' does not take any value, but '1' was specified."
        ),
        (.missingArgument("<id>"), "Missing expected argument '<id>'"),
        (.unexpectedArguments(["x"]), "Unexpected argument 'x'"),
        (.unexpectedArguments(["x", "y"]), "2 unexpected arguments: 'x', 'y'"),
        (.invalidValue("abc", argument: "--limit <n>", hint: nil), "The value 'abc' is invalid for '--limit <n>'"),
        (
            .invalidValue("abc", argument: "<n>", hint: "expected an integer"),
            "The value 'abc' is invalid for '<n>': expected an integer"
        ),
        (.invalid("Give ids or --all."), "Give ids or --all."),
    ])
    func messages(reason: UsageError.Reason, message: String) {
        #expect(UsageError(reason).message == message)
        #expect(UsageError(reason).description == message)
    }

    @Test func reportForALeafCommand() {
        let error = UsageError(.missingArgument("<id>"), commandPath: ["show"])
        #expect(
            connvault.errorText(for: error) == """
                Error: Missing expected argument '<id>'
                Usage: connvault show <id> [--reveal] [--json] [--vault <path>] [--key-file <path>]
                  See 'connvault show --help' for more information.

                """)
    }

    @Test func reportForANestedCommand() {
        let error = UsageError(.unknownOption("--jsn", suggestion: nil), commandPath: ["types", "import"])
        #expect(
            connvault.errorText(for: error) == """
                Error: Unknown option '--jsn'
                Usage: connvault types import <path> ... [--vault <path>] [--key-file <path>]
                  See 'connvault types import --help' for more information.

                """)
    }

    @Test func reportForAnUnknownPathFallsBackToTheRoot() {
        let error = UsageError("Something is off.", commandPath: ["no", "such"])
        #expect(
            connvault.errorText(for: error) == """
                Error: Something is off.
                Usage: connvault <subcommand>
                  See 'connvault --help' for more information.

                """)
    }

    @Test func parsedCommandMakesErrorsAboutItself() throws {
        guard case .run(let command) = try connvault.parse(["remove", "abc"]) else {
            Issue.record("expected a command to run")
            return
        }
        let error = command.usageError("Refusing to remove without --yes when not on a terminal.")
        #expect(error.commandPath == ["remove"])
        #expect(
            connvault.errorText(for: error) == """
                Error: Refusing to remove without --yes when not on a terminal.
                Usage: connvault remove <id> ... [--yes] [--vault <path>] [--key-file <path>]
                  See 'connvault remove --help' for more information.

                """)
    }

    // MARK: Actions: what the executable writes, where, and its exit code

    @Test func actionRunsACommand() throws {
        guard case .run(let command) = connvault.action(for: ["list", "--json"]) else {
            Issue.record("expected a command to run")
            return
        }
        #expect(command.name == "list")
        #expect(command.flag("json"))
    }

    @Test func actionPrintsHelpToStandardOutputWithStatusZero() {
        #expect(
            connvault.action(for: ["help", "show"])
                == .exit(text: connvault.helpText(for: ["show"]), to: .standardOutput, code: 0))
        #expect(
            connvault.action(for: ["types", "list", "-h"])
                == .exit(text: connvault.helpText(for: ["types", "list"]), to: .standardOutput, code: 0))
        #expect(connvault.action(for: []) == .exit(text: connvault.helpText(for: []), to: .standardOutput, code: 0))
    }

    @Test func actionPrintsTheVersion() {
        #expect(connvault.action(for: ["--version"]) == .exit(text: "1.2.3\n", to: .standardOutput, code: 0))
    }

    @Test func actionReportsUsageErrorsOnStandardErrorWithStatus64() {
        #expect(
            connvault.action(for: ["history", "abc", "--limit", "abc"])
                == .exit(
                    text: """
                        Error: The value 'abc' is invalid for '--limit <n>': expected a non-negative integer
                        Usage: connvault history <id> [--limit <n>] [--json] [--vault <path>] [--key-file <path>]
                          See 'connvault history --help' for more information.

                        """,
                    to: .standardError, code: 64))
        #expect(
            connvault.action(for: ["lst"])
                == .exit(
                    text: """
                        Error: Unknown command 'lst'. Did you mean 'list'?
                        Usage: connvault <subcommand>
                          See 'connvault --help' for more information.

                        """,
                    to: .standardError, code: 64))
    }
}
