import Testing

@testable import connvault

/// Exact help screens: swift-argument-parser's layout, ending as its output ends.
struct HelpTextTests {
    let fixture = ParserFixture.parser
    let connvault = CommandLineParser(root: ConnvaultCommandLine.root(version: "1.2.3"))

    @Test func rootListsSubcommandsAndEndsWithTheHelpHint() {
        #expect(
            fixture.helpText(for: []) == """
                OVERVIEW: A tool for tests.

                USAGE: tool <subcommand>

                OPTIONS:
                  --version               Show the version.
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  get                     Get one item.
                  put                     Put items.
                  pick                    Pick items.
                  pair                    Pair two items.
                  group                   A group.

                  See 'tool help <subcommand>' for detailed help.

                """)
    }

    @Test func leafShowsArgumentsAndOptionsAndEndsWithABlankLine() {
        #expect(
            fixture.helpText(for: ["get"]) == """
                OVERVIEW: Get one item.

                USAGE: tool get <id> [<field>] [--json] [--out <file>]

                ARGUMENTS:
                  <id>                    The item.
                  <field>                 A field of it.

                OPTIONS:
                  --json                  Print JSON.
                  -o, --out <file>        Write here.
                  -h, --help              Show help information.


                """)
    }

    @Test func repeatingRequiredAndDefaultedArguments() {
        #expect(
            fixture.helpText(for: ["put"]) == """
                OVERVIEW: Put items.

                USAGE: tool put <path> ... [--param <name=value> ...] [--limit <n>] [--jobs <n>] --tag <tag>

                ARGUMENTS:
                  <path>                  Files to put.

                OPTIONS:
                  --param <name=value>    A parameter.
                  --limit <n>             At most this many.
                  --jobs <n>              Parallel jobs. (default: 8)
                  --tag <tag>             The tag.
                  -h, --help              Show help information.


                """)
    }

    @Test func nestedGroupPointsAtItsOwnHelpCommand() {
        #expect(
            fixture.helpText(for: ["group"]) == """
                OVERVIEW: A group.

                USAGE: tool group <subcommand>

                OPTIONS:
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  leaf                    A leaf.

                  See 'tool help group <subcommand>' for detailed help.

                """)
        #expect(fixture.usage(for: ["group", "leaf"]) == "tool group leaf [--yes]")
    }

    @Test func hiddenHelpCommandHasItsOwnHelp() {
        #expect(
            fixture.helpText(for: ["help"]) == """
                OVERVIEW: Show subcommand help information.

                USAGE: tool help [<subcommands> ...]

                ARGUMENTS:
                  <subcommands>           The subcommand to show help for.

                OPTIONS:
                  -h, --help              Show help information.


                """)
    }

    @Test func longLabelsWrapAndDiscussionFollowsTheAbstract() {
        let root = CommandSpec(
            "t", abstract: "",
            subcommands: [
                CommandSpec(
                    "layout",
                    abstract: "Show how help lays out long texts.",
                    discussion: "A discussion paragraph.\n\nA second one.",
                    arguments: [
                        .option("abcdefghijklmno", valueName: "xyz", help: "Exactly fits: label ends at column 25."),
                        .option("abcdefghijklmnop", valueName: "xyz", help: "One longer: description on its own line."),
                        .option("silent", help: ""),
                        .flag(
                            "wordy",
                            help: "This description is long enough that it has to wrap onto a second line of help."),
                    ])
            ])
        #expect(
            CommandLineParser(root: root).helpText(for: ["layout"]) == """
                OVERVIEW: Show how help lays out long texts.

                A discussion paragraph.

                A second one.

                USAGE: t layout [--abcdefghijklmno <xyz>] [--abcdefghijklmnop <xyz>] [--silent <silent>] [--wordy]

                OPTIONS:
                  --abcdefghijklmno <xyz> Exactly fits: label ends at column 25.
                  --abcdefghijklmnop <xyz>
                                          One longer: description on its own line.
                  --silent <silent>
                  --wordy                 This description is long enough that it has to wrap
                                          onto a second line of help.
                  -h, --help              Show help information.


                """)
    }

    @Test func usageAbbreviatesMoreThanTwelveArguments() {
        let many = (1...13).map { ArgumentSpec.flag("f\($0)", help: "") }
        let root = CommandSpec(
            "t", abstract: "",
            subcommands: [
                CommandSpec("optional", abstract: "", arguments: many),
                CommandSpec(
                    "mixed", abstract: "",
                    arguments: many + [.positional("id", help: ""), .option("uid", .required, help: "")]),
            ])
        let parser = CommandLineParser(root: root)
        #expect(parser.usage(for: ["optional"]) == "t optional <options>")
        #expect(parser.usage(for: ["mixed"]) == "t mixed [<options>] <id> --uid <uid>")
    }

    @Test func connvaultRootHelp() {
        #expect(
            connvault.helpText(for: []) == """
                OVERVIEW: Keep API connections and their credentials in an encrypted vault.

                USAGE: connvault <subcommand>

                OPTIONS:
                  --version               Show the version.
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  init                    Create a vault and its master key.
                  types                   Import and inspect connection types.
                  common                  Manage the data shared by every connection of a type.
                  add                     Add a connection and verify it.
                  list                    List connections.
                  show                    Show a connection.
                  revalidate              Verify connections again.
                  update                  Change a connection's parameters or name.
                  rename                  Rename a connection.
                  remove                  Remove connections.
                  history                 Show a connection's verification history.
                  find                    Find connections by the account they belong to.
                  key                     Manage the vault's keys.
                  export                  Write an encrypted archive of the vault.
                  import                  Read back an archive written by export.
                  doctor                  Check the vault and report each finding.
                  eval                    Evaluate an IML template and print the result as JSON.

                  See 'connvault help <subcommand>' for detailed help.

                """)
    }

    @Test func connvaultShowHelp() {
        #expect(
            connvault.helpText(for: ["show"]) == """
                OVERVIEW: Show a connection.

                USAGE: connvault show <id> [--reveal] [--json] [--vault <path>] [--key-file <path>]

                ARGUMENTS:
                  <id>                    The connection id or a unique prefix.

                OPTIONS:
                  --reveal                Include secret values.
                  --json                  Print JSON.
                  --vault <path>          The vault file (overrides $CONNVAULT_PATH).
                  --key-file <path>       A file holding the master key.
                  -h, --help              Show help information.


                """)
    }

    @Test func connvaultRevalidateHelp() {
        #expect(
            connvault.helpText(for: ["revalidate"]) == """
                OVERVIEW: Verify connections again.

                USAGE: connvault revalidate [<id> ...] [--all] [--due] [--within <duration>] [--older-than <duration>] [--type <type>] [--concurrency <n>] [--json] [--log] [--vault <path>] [--key-file <path>]

                ARGUMENTS:
                  <id>                    The connection id or a unique prefix.

                OPTIONS:
                  --all                   Every connection.
                  --due                   Connections about to expire or not checked lately.
                  --within <duration>     With --due: expiring within this duration. (default:
                                          10m)
                  --older-than <duration> With --due: last verified longer ago than this.
                                          (default: 24h)
                  --type <type>           Only connections of this type.
                  --concurrency <n>       The most requests in flight (1 to 512). (default: 8)
                  --json                  Print JSON.
                  --log                   Print each run's redacted log to standard error.
                  --vault <path>          The vault file (overrides $CONNVAULT_PATH).
                  --key-file <path>       A file holding the master key.
                  -h, --help              Show help information.


                """)
    }

    @Test func connvaultKeyGroupHelp() {
        #expect(
            connvault.helpText(for: ["key"]) == """
                OVERVIEW: Manage the vault's keys.

                USAGE: connvault key <subcommand>

                OPTIONS:
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  rotate                  Re-encrypt every secret under fresh data keys.
                  change-master           Protect the vault with a new master key.

                  See 'connvault help key <subcommand>' for detailed help.

                """)
    }

    @Test func everyConnvaultCommandHasHelp() {
        func visit(_ command: CommandSpec, _ path: [String]) {
            let text = connvault.helpText(for: path)
            #expect(text.hasPrefix("OVERVIEW: \(command.abstract)"))
            #expect(text.contains("\nUSAGE: \(connvault.usage(for: path))\n"))
            #expect(text.contains("  -h, --help              Show help information.\n"))
            for subcommand in command.subcommands { visit(subcommand, path + [subcommand.name]) }
        }
        visit(connvault.root, [])
    }
}
