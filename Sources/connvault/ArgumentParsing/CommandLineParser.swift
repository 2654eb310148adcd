/// Parses a command line against a tree of ``CommandSpec``s; it never prints and never exits.
///
/// Conventions, as swift-argument-parser has them: subcommand names come first (`types import`);
/// options and flags may appear anywhere after them, as `--name VALUE` or `--name=VALUE`; `--` ends
/// options, so every later word is positional; `-` alone is a positional value (standard input).
/// `-h`/`--help` anywhere before `--` asks for the selected command's help, whatever else is wrong;
/// `--version` is recognised on the root only; `help [COMMAND...]` prints a command's help.
/// A command that groups subcommands, given none, shows its help.
struct CommandLineParser: Sendable {
    /// What a valid command line asks for.
    enum Outcome: Sendable, Hashable {
        /// Run this command with these values.
        case run(ParsedCommand)
        /// Print the help of the command at this path (see ``CommandLineParser/helpText(for:)``).
        case help(commandPath: [String])
        /// Print this version.
        case version(String)
    }

    /// The root command, `connvault` itself, with a hidden `help` subcommand added.
    let root: CommandSpec
    /// The width help text is wrapped to.
    let screenWidth: Int

    /// Creates a parser for the command tree under `root`.
    init(root: CommandSpec, screenWidth: Int = 80) {
        var root = root
        if !root.subcommands.isEmpty && root.subcommand(named: Self.helpCommandName) == nil {
            root.subcommands.append(Self.helpCommand)
        }
        self.root = root
        self.screenWidth = screenWidth
    }

    /// Reads `arguments` (without the executable's own name) and says what they ask for.
    func parse(_ arguments: [String]) throws(UsageError) -> Outcome {
        var scan = Scan(root: root)
        scan.read(arguments)
        if scan.helpRequested { return .help(commandPath: scan.path) }
        if scan.versionRequested, let version = root.version { return .version(version) }
        if let error = scan.firstError { throw error }
        if !scan.command.subcommands.isEmpty { return .help(commandPath: scan.path) }

        var given = scan.given
        let path = scan.path
        try assign(scan.positionals, of: scan.command, at: path, into: &given)
        for argument in scan.command.arguments where !argument.isPositional && argument.arity.isRequired {
            if given[argument.name, default: []].isEmpty {
                throw UsageError(.missingArgument(argument.requiredSynopsis), commandPath: path)
            }
        }
        let parsed = ParsedCommand(path: path, arguments: scan.command.arguments, given: given)
        if path == [Self.helpCommandName] && scan.command.isHidden {
            return .help(commandPath: try helpTarget(parsed.strings(Self.helpTargetArgument)))
        }
        do {
            try scan.command.validate?(parsed)
        } catch let error as UsageError {
            throw UsageError(error.reason, commandPath: path)
        } catch {
            throw UsageError(.invalid(String(describing: error)), commandPath: path)
        }
        return .run(parsed)
    }

    /// Hands positional values to the command's positional arguments, left to right, checking their types.
    ///
    /// An optional or repeating argument leaves enough values for the required ones after it.
    private func assign(
        _ values: [String], of command: CommandSpec, at path: [String], into given: inout [String: [String]]
    ) throws(UsageError) {
        let positionals = command.positionals
        var remaining = values[...]
        for (index, argument) in positionals.enumerated() {
            let reserved = positionals[(index + 1)...].filter(\.arity.isRequired).count
            let available = max(remaining.count - reserved, 0)
            let count =
                switch argument.arity {
                case .required: min(remaining.count, 1)
                case .optional: min(available, 1)
                case .zeroOrMore, .oneOrMore: available
                }
            if count == 0 && argument.arity.isRequired {
                throw UsageError(.missingArgument(argument.requiredSynopsis), commandPath: path)
            }
            for value in remaining.prefix(count) where !argument.valueType.accepts(value) {
                let reason = UsageError.Reason.invalidValue(
                    value, argument: argument.valueSynopsis, hint: argument.valueType.hint)
                throw UsageError(reason, commandPath: path)
            }
            given[argument.name, default: []] += remaining.prefix(count)
            remaining = remaining.dropFirst(count)
        }
        if !remaining.isEmpty {
            throw UsageError(.unexpectedArguments(Array(remaining)), commandPath: path)
        }
    }

    /// The command path that `help NAME...` names, or the error for a name that is not a command.
    private func helpTarget(_ names: [String]) throws(UsageError) -> [String] {
        var path: [String] = []
        var command = root
        for name in names {
            guard let next = command.subcommand(named: name) else {
                if command.subcommands.isEmpty {
                    throw UsageError(.unexpectedArguments([name]), commandPath: path)
                }
                let suggestion = Scan.suggestion(for: name, among: command)
                throw UsageError(.unknownCommand(name, suggestion: suggestion), commandPath: path)
            }
            path.append(name)
            command = next
        }
        return path
    }

    static let helpCommandName = "help"
    private static let helpTargetArgument = "subcommands"
    private static let helpCommand = CommandSpec(
        helpCommandName,
        abstract: "Show subcommand help information.",
        arguments: [.positional(helpTargetArgument, .zeroOrMore, help: "The subcommand to show help for.")],
        isHidden: true)
}

/// One left-to-right pass over a command line: subcommand selection, options and flags.
///
/// It records the first error but keeps reading, so a later `--help` still wins.
private struct Scan {
    let root: CommandSpec
    var command: CommandSpec
    var path: [String] = []
    var given: [String: [String]] = [:]
    var positionals: [String] = []
    var helpRequested = false
    var versionRequested = false
    var firstError: UsageError?

    init(root: CommandSpec) {
        self.root = root
        self.command = root
    }

    mutating func read(_ arguments: [String]) {
        var words = arguments[...]
        var optionsEnded = false
        while let word = words.popFirst() {
            if !optionsEnded && word == "--" {
                optionsEnded = true
            } else if !optionsEnded && word.hasPrefix("-") && word != "-" {
                readNamed(word, from: &words)
            } else if !command.subcommands.isEmpty {
                selectSubcommand(word)
            } else {
                positionals.append(word)
            }
        }
    }

    private mutating func readNamed(_ word: String, from words: inout ArraySlice<String>) {
        if word == "--help" || word == "-h" {
            helpRequested = true
            return
        }
        if word == "--version" && path.isEmpty && root.version != nil {
            versionRequested = true
            return
        }
        var spelling = word
        var inlineValue: String?
        if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
            spelling = String(word[..<equals])
            inlineValue = String(word[word.index(after: equals)...])
        }
        guard let argument = command.namedArgument(matching: spelling) else {
            let suggestion =
                spelling.hasPrefix("--")
                ? TextLayout.nearest(to: spelling, in: knownLongSpellings, maximumDistance: 3) : nil
            fail(.unknownOption(spelling, suggestion: suggestion))
            return
        }
        if argument.kind == .flag {
            if let inlineValue {
                fail(.unexpectedValue(flag: spelling, value: inlineValue))
            } else {
                given[argument.name, default: []].append("")
            }
            return
        }
        let value: String
        if let inlineValue {
            value = inlineValue
        } else if let next = words.first, !next.hasPrefix("-") || next == "-" {
            value = next
            words.removeFirst()
        } else {
            fail(.missingValue(option: "\(spelling) <\(argument.valueName)>"))
            return
        }
        guard argument.valueType.accepts(value) else {
            fail(.invalidValue(value, argument: "\(spelling) <\(argument.valueName)>", hint: argument.valueType.hint))
            return
        }
        given[argument.name, default: []].append(value)
    }

    private mutating func selectSubcommand(_ word: String) {
        guard let subcommand = command.subcommand(named: word) else {
            fail(.unknownCommand(word, suggestion: Self.suggestion(for: word, among: command)))
            return
        }
        command = subcommand
        path.append(word)
    }

    /// Every long spelling valid at this point, for "Did you mean" suggestions.
    private var knownLongSpellings: [String] {
        let declared = command.arguments.filter { !$0.isPositional }.map(\.longSpelling)
        let version = path.isEmpty && root.version != nil ? ["--version"] : []
        return declared + version + ["--help"]
    }

    /// The visible subcommand of `command` whose name is close to `word`, if any.
    static func suggestion(for word: String, among command: CommandSpec) -> String? {
        let names = command.subcommands.filter { !$0.isHidden }.map(\.name)
        return TextLayout.nearest(to: word, in: names, maximumDistance: 2)
    }

    private mutating func fail(_ reason: UsageError.Reason) {
        if firstError == nil { firstError = UsageError(reason, commandPath: path) }
    }
}
