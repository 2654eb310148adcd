/// The declaration of one command: its name, help texts, arguments and subcommands.
///
/// A command either groups subcommands (`types`, `key`) or takes arguments (`types import`), not both.
/// The parser never runs anything: it returns a ``ParsedCommand`` whose ``ParsedCommand/path`` names
/// the command, and the caller dispatches on it.
struct CommandSpec: Sendable {
    /// The word typed on the command line, such as `import` in `connvault types import`.
    var name: String
    /// One line, shown after `OVERVIEW:` and in the parent's `SUBCOMMANDS:` list.
    var abstract: String
    /// Further paragraphs shown under the abstract in this command's own help.
    var discussion: String
    /// The version that `--version` prints; only the root command sets it.
    var version: String?
    /// Positional arguments, options and flags, in the order the usage line and help show them.
    var arguments: [ArgumentSpec]
    /// The commands nested under this one, in the order help lists them.
    var subcommands: [CommandSpec]
    /// Checks rules that span several arguments (mutually exclusive choices, say) once parsing succeeded.
    ///
    /// A thrown ``UsageError`` is reported like any other usage error, for this command; any other error
    /// is reported as a usage error with its description.
    var validate: (@Sendable (ParsedCommand) throws -> Void)?
    /// Whether help leaves this command out of its parent's `SUBCOMMANDS:` list.
    var isHidden: Bool

    /// Declares a command.
    init(
        _ name: String,
        abstract: String,
        discussion: String = "",
        version: String? = nil,
        arguments: [ArgumentSpec] = [],
        subcommands: [CommandSpec] = [],
        isHidden: Bool = false,
        validate: (@Sendable (ParsedCommand) throws -> Void)? = nil
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.version = version
        self.arguments = arguments
        self.subcommands = subcommands
        self.isHidden = isHidden
        self.validate = validate
    }

    /// The positional arguments, in declaration order.
    var positionals: [ArgumentSpec] { arguments.filter(\.isPositional) }

    /// The direct subcommand called `name`, if any.
    func subcommand(named name: String) -> CommandSpec? {
        subcommands.first { $0.name == name }
    }

    /// The command reached by following `path` (subcommand names below this command), if it exists.
    func command(at path: [String]) -> CommandSpec? {
        var command = self
        for name in path {
            guard let next = command.subcommand(named: name) else { return nil }
            command = next
        }
        return command
    }

    /// The option or flag this command declares under `token` (`--json`, `-o`), if any.
    func namedArgument(matching token: String) -> ArgumentSpec? {
        arguments.first { !$0.isPositional && $0.spellings.contains(token) }
    }

    /// Mistakes in this declaration tree, one sentence each; empty when it is sound.
    ///
    /// A sound tree has unique names, no arguments on commands that group subcommands, and no positional
    /// argument after a repeating one. Tests assert this is empty for the real command tree.
    func declarationProblems(under parents: [String] = []) -> [String] {
        let here = (parents + [name]).joined(separator: " ")
        var problems: [String] = []
        if !subcommands.isEmpty && !arguments.isEmpty {
            problems.append("'\(here)' has both subcommands and arguments")
        }
        let keys = arguments.map(\.name) + ["help"]
        for key in Set(keys) where keys.filter({ $0 == key }).count > 1 {
            problems.append("'\(here)' declares '\(key)' more than once")
        }
        let shorts = arguments.compactMap(\.shortName) + ["h"]
        for short in Set(shorts) where shorts.filter({ $0 == short }).count > 1 {
            problems.append("'\(here)' declares '-\(short)' more than once")
        }
        var sawRepeating = false
        for positional in positionals {
            if sawRepeating {
                problems.append("'\(here)' declares '<\(positional.valueName)>' after a repeating argument")
            }
            sawRepeating = sawRepeating || positional.arity.isRepeating
        }
        let names = subcommands.map(\.name)
        for duplicate in Set(names) where names.filter({ $0 == duplicate }).count > 1 {
            problems.append("'\(here)' has two subcommands named '\(duplicate)'")
        }
        for subcommand in subcommands {
            problems += subcommand.declarationProblems(under: parents + [name])
        }
        return problems
    }
}
