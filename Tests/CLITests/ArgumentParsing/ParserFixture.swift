@testable import connvault

/// A small command tree with every argument shape, independent of the real `connvault` texts.
enum ParserFixture {
    static let root = CommandSpec(
        "tool",
        abstract: "A tool for tests.",
        version: "9.8.7",
        subcommands: [
            CommandSpec(
                "get",
                abstract: "Get one item.",
                arguments: [
                    .positional("id", help: "The item."),
                    .positional("field", .optional, help: "A field of it."),
                    .flag("json", help: "Print JSON."),
                    .option("out", short: "o", valueName: "file", help: "Write here."),
                ]),
            CommandSpec(
                "put",
                abstract: "Put items.",
                arguments: [
                    .positional("path", .oneOrMore, help: "Files to put."),
                    .option("param", .zeroOrMore, valueName: "name=value", help: "A parameter."),
                    .option("limit", valueName: "n", type: .integer, help: "At most this many."),
                    .option("jobs", valueName: "n", type: .integer(atLeast: 1), default: "8", help: "Parallel jobs."),
                    .option("tag", .required, valueName: "tag", help: "The tag."),
                ]),
            CommandSpec(
                "pick",
                abstract: "Pick items.",
                arguments: [
                    .positional("id", .zeroOrMore, help: "Items."),
                    .flag("all", help: "Every item."),
                ],
                validate: { command in
                    if command.flag("all") == !command.strings("id").isEmpty {
                        throw UsageError("Give ids or --all.")
                    }
                }),
            CommandSpec(
                "pair",
                abstract: "Pair two items.",
                arguments: [
                    .positional("first", help: "One."),
                    .positional("middle", .optional, help: "Optional."),
                    .positional("last", help: "Other."),
                ]),
            CommandSpec(
                "group",
                abstract: "A group.",
                subcommands: [
                    CommandSpec("leaf", abstract: "A leaf.", arguments: [.flag("yes", help: "Sure.")])
                ]),
        ])

    static let parser = CommandLineParser(root: root)

    /// Parses `line` (split at spaces) and returns the command it runs, or fails the test.
    static func run(_ line: String) throws -> ParsedCommand {
        guard case .run(let command) = try parser.parse(words(line)) else {
            throw FixtureError.notRun(line)
        }
        return command
    }

    /// The usage error `line` raises, or `nil` when it parses.
    static func error(_ line: String) -> UsageError? {
        do {
            _ = try parser.parse(words(line))
            return nil
        } catch {
            return error
        }
    }

    static func words(_ line: String) -> [String] {
        line.split(separator: " ").map(String.init)
    }

    enum FixtureError: Error {
        case notRun(String)
    }
}
