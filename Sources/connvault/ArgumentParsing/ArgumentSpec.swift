/// The declaration of one positional argument, option (`--name VALUE`) or flag (`--json`) of a command.
///
/// Build one with ``positional(_:_:valueName:type:help:)``, ``option(_:_:short:valueName:type:default:help:)``
/// or ``flag(_:short:help:)``. The `name` is the key that ``ParsedCommand`` accessors take; for options and
/// flags it is also the long spelling without its dashes.
struct ArgumentSpec: Sendable {
    /// How a command line supplies the argument.
    enum Kind: Sendable, Hashable {
        /// A bare word, matched by position.
        case positional
        /// `--name VALUE` or `--name=VALUE`.
        case option
        /// `--name`, taking no value.
        case flag
    }

    /// How many values an argument takes.
    enum Arity: Sendable, Hashable {
        /// Exactly one value must be given.
        case required
        /// Zero or one value (for an option given twice, the last one wins).
        case optional
        /// Any number of values, kept in order.
        case zeroOrMore
        /// At least one value, kept in order.
        case oneOrMore

        /// Whether the command line must supply a value.
        var isRequired: Bool { self == .required || self == .oneOrMore }
        /// Whether the argument collects several values.
        var isRepeating: Bool { self == .zeroOrMore || self == .oneOrMore }
    }

    /// What a value must look like; the parser rejects other values with a ``UsageError``.
    struct ValueType: Sendable {
        /// Why a rejected value is wrong, appended to the error (`expected an integer`).
        var hint: String?
        /// Whether `value` is acceptable.
        var accepts: @Sendable (_ value: String) -> Bool

        /// Any text.
        static let string = ValueType(hint: nil) { _ in true }
        /// A decimal integer such as `42` or `-1`.
        static let integer = ValueType(hint: "expected an integer") { Int($0) != nil }

        /// A decimal integer no smaller than `minimum`.
        static func integer(atLeast minimum: Int) -> ValueType {
            let hint =
                switch minimum {
                case 0: "expected a non-negative integer"
                case 1: "expected a positive integer"
                default: "expected an integer of at least \(minimum)"
                }
            return ValueType(hint: hint) { value in Int(value).map { $0 >= minimum } ?? false }
        }

        /// A decimal integer within `range`.
        static func integer(in range: ClosedRange<Int>) -> ValueType {
            ValueType(hint: "expected an integer from \(range.lowerBound) to \(range.upperBound)") { value in
                Int(value).map(range.contains) ?? false
            }
        }
    }

    /// Whether this is a positional argument, an option or a flag.
    var kind: Kind
    /// The key for ``ParsedCommand`` lookups, and the long spelling (`--name`) of an option or flag.
    var name: String
    /// A one-letter spelling (`-o`), if any.
    var shortName: Character?
    /// The placeholder that usage and help show in angle brackets (`<id>`, `--limit <n>`).
    var valueName: String
    /// One line for the `ARGUMENTS:` or `OPTIONS:` section.
    var help: String
    /// How many values the argument takes; always `.optional` for a flag.
    var arity: Arity
    /// What each value must look like.
    var valueType: ValueType
    /// The value used when none is given, also shown in help as `(default: …)`.
    var defaultValue: String?

    /// Declares a positional argument; `arity` defaults to one required value.
    static func positional(
        _ name: String,
        _ arity: Arity = .required,
        valueName: String? = nil,
        type: ValueType = .string,
        help: String
    ) -> ArgumentSpec {
        ArgumentSpec(
            kind: .positional, name: name, shortName: nil, valueName: valueName ?? name, help: help,
            arity: arity, valueType: type, defaultValue: nil)
    }

    /// Declares an option taking a value (`--name VALUE`); `arity` defaults to an optional, single value.
    static func option(
        _ name: String,
        _ arity: Arity = .optional,
        short: Character? = nil,
        valueName: String? = nil,
        type: ValueType = .string,
        default defaultValue: String? = nil,
        help: String
    ) -> ArgumentSpec {
        ArgumentSpec(
            kind: .option, name: name, shortName: short, valueName: valueName ?? name, help: help,
            arity: arity, valueType: type, defaultValue: defaultValue)
    }

    /// Declares a flag (`--json`), which is either present or absent.
    static func flag(_ name: String, short: Character? = nil, help: String) -> ArgumentSpec {
        ArgumentSpec(
            kind: .flag, name: name, shortName: short, valueName: name, help: help, arity: .optional,
            valueType: .string, defaultValue: nil)
    }

    /// Whether the argument is matched by position rather than by name.
    var isPositional: Bool { kind == .positional }

    /// The long spelling, `--name`.
    var longSpelling: String { "--\(name)" }

    /// Every spelling the command line may use for an option or flag: `-o` (if any), then `--out`.
    var spellings: [String] {
        (shortName.map { ["-\($0)"] } ?? []) + [longSpelling]
    }

    /// The argument as the usage line shows it: `<id>`, `[<id> ...]`, `[--param <name=value> ...]`.
    var synopsis: String {
        var text = requiredSynopsis
        if !arity.isRequired || defaultValue != nil { text = "[\(text)]" }
        return text
    }

    /// The argument as an error names a missing one: `<path> ...`, `--uid <uid>`.
    var requiredSynopsis: String {
        let single =
            switch kind {
            case .positional: "<\(valueName)>"
            case .option: "\(longSpelling) <\(valueName)>"
            case .flag: longSpelling
            }
        return arity.isRepeating ? single + " ..." : single
    }

    /// The argument as the left column of help shows it: `<id>`, `-o, --out <file>`, `--json`.
    var helpLabel: String {
        switch kind {
        case .positional: "<\(valueName)>"
        case .option: spellings.joined(separator: ", ") + " <\(valueName)>"
        case .flag: spellings.joined(separator: ", ")
        }
    }

    /// The name an error uses for a bad value: `--limit <n>` or `<id>`.
    var valueSynopsis: String {
        kind == .positional ? "<\(valueName)>" : "\(longSpelling) <\(valueName)>"
    }
}
