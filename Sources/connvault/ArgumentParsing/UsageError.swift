/// A command line that does not match its command's declaration; the CLI reports it and exits 64.
///
/// ``message`` is the text after `Error: `, worded as swift-argument-parser words it.
/// ``CommandLineParser/errorText(for:)`` renders the whole report with the usage line.
struct UsageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    enum Reason: Sendable, Hashable {
        /// A word where a subcommand name was expected, and the closest name if one is close.
        case unknownCommand(String, suggestion: String?)
        /// An option the command does not declare, and the closest spelling if one is close.
        case unknownOption(String, suggestion: String?)
        /// An option (`--name <name>`) at the end of the line or followed by another option.
        case missingValue(option: String)
        /// A flag given a value with `=`.
        case unexpectedValue(flag: String, value: String)
        /// A required argument that was not given (`<id>`, `--uid <uid>`).
        case missingArgument(String)
        /// Positional values beyond what the command takes.
        case unexpectedArguments([String])
        /// A value its argument's type rejects, the argument (`--limit <n>`) and why.
        case invalidValue(String, argument: String, hint: String?)
        /// A message from a command's own validation.
        case invalid(String)
    }

    /// What is wrong.
    var reason: Reason
    /// The command the error is about (subcommand names below the root), for its usage line.
    var commandPath: [String]

    /// Creates an error for `reason`, about the command at `commandPath`.
    init(_ reason: Reason, commandPath: [String] = []) {
        self.reason = reason
        self.commandPath = commandPath
    }

    /// Creates an error with a free-form message, as a command's validation throws it.
    ///
    /// In a ``CommandSpec/validate`` hook the parser fills in `commandPath`.
    init(_ message: String, commandPath: [String] = []) {
        self.init(.invalid(message), commandPath: commandPath)
    }

    /// The sentence after `Error: `.
    var message: String {
        switch reason {
        case .unknownCommand(let word, let suggestion):
            "Unknown command '\(word)'" + Self.didYouMean(suggestion)
        case .unknownOption(let option, let suggestion):
            "Unknown option '\(option)'" + Self.didYouMean(suggestion)
        case .missingValue(let option):
            "Missing value for '\(option)'"
        case .unexpectedValue(let flag, let value):
            "The option '\(flag)' does not take any value, but '\(value)' was specified."
        case .missingArgument(let argument):
            "Missing expected argument '\(argument)'"
        case .unexpectedArguments(let values) where values.count == 1:
            "Unexpected argument '\(values[0])'"
        case .unexpectedArguments(let values):
            "\(values.count) unexpected arguments: '\(values.joined(separator: "', '"))'"
        case .invalidValue(let value, let argument, let hint):
            "The value '\(value)' is invalid for '\(argument)'" + (hint.map { ": \($0)" } ?? "")
        case .invalid(let message):
            message
        }
    }

    var description: String { message }

    private static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { ". Did you mean '\($0)'?" } ?? ""
    }
}
