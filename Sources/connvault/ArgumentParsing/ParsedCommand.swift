/// The command a command line selected, with the values it gave, queried by argument name.
///
/// Values were checked against their ``ArgumentSpec/ValueType`` during parsing, so ``int(_:)`` returns
/// `nil` only when an integer argument was not given and has no default. Asking for a name the command
/// does not declare is a programmer error and traps, so a typo cannot silently read as "absent".
struct ParsedCommand: Sendable, Hashable {
    /// The subcommand names below the root, such as `["types", "import"]`; empty for the root itself.
    let path: [String]
    /// The values given on the command line, by argument name, in order; a flag holds one `""` per use.
    private let given: [String: [String]]
    /// The default values of the options that declare one.
    private let defaults: [String: String]
    /// Every argument name the command declares.
    private let declared: Set<String>

    /// Records the outcome of parsing `arguments` for the command at `path`.
    init(path: [String], arguments: [ArgumentSpec], given: [String: [String]]) {
        self.path = path
        self.given = given
        self.declared = Set(arguments.map(\.name))
        var defaults: [String: String] = [:]
        for argument in arguments {
            if let value = argument.defaultValue { defaults[argument.name] = value }
        }
        self.defaults = defaults
    }

    /// The command's path joined by spaces, such as `"types import"`, for dispatching with `switch`.
    var name: String { path.joined(separator: " ") }

    /// Whether the flag or option `name` appeared on the command line.
    func isGiven(_ name: String) -> Bool {
        !values(of: name).isEmpty
    }

    /// Whether the flag `name` was given.
    func flag(_ name: String) -> Bool {
        isGiven(name)
    }

    /// The value of `name`: the last one given, else its default, else `nil`.
    func string(_ name: String) -> String? {
        values(of: name).last ?? defaults[name]
    }

    /// Every value given for the repeating option or positional argument `name`, in command-line order.
    func strings(_ name: String) -> [String] {
        values(of: name)
    }

    /// The value of the integer argument `name`, like ``string(_:)``.
    func int(_ name: String) -> Int? {
        string(name).flatMap { Int($0) }
    }

    /// A usage error about this command, for checks made after parsing (`remove` without `--yes`).
    func usageError(_ message: String) -> UsageError {
        UsageError(message, commandPath: path)
    }

    private func values(of name: String) -> [String] {
        precondition(declared.contains(name), "'\(self.name)' declares no argument named '\(name)'")
        return given[name] ?? []
    }
}
