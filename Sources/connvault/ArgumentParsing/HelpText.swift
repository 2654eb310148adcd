/// Help screens, usage lines and usage-error reports, laid out as swift-argument-parser lays them out.
///
/// Every text returned here is complete: write it as it is (it ends with its own newline).
extension CommandLineParser {
    /// The column where descriptions start in `ARGUMENTS:`, `OPTIONS:` and `SUBCOMMANDS:`.
    static let descriptionColumn = 26

    /// The help screen of the command at `path` (subcommand names below the root), for standard output.
    func helpText(for path: [String]) -> String {
        guard let command = root.command(at: path) else {
            preconditionFailure("no command at '\(path.joined(separator: " "))'")
        }
        var overview = command.abstract
        if !command.discussion.isEmpty {
            overview += (overview.isEmpty ? "" : "\n") + "\n" + command.discussion
        }
        var text = overview.isEmpty ? "" : TextLayout.wrap("OVERVIEW: " + overview, width: screenWidth) + "\n\n"
        text += "USAGE: \(usage(for: path))\n\n"

        let named = command.arguments.filter { !$0.isPositional }.map { Row(label: $0.helpLabel, text: $0.helpText) }
        let version = path.isEmpty && root.version != nil ? [Row(label: "--version", text: "Show the version.")] : []
        let help = Row(label: "-h, --help", text: "Show help information.")
        let subcommands = command.subcommands.filter { !$0.isHidden }.map { Row(label: $0.name, text: $0.abstract) }
        let sections = [
            ("ARGUMENTS", command.positionals.map { Row(label: $0.helpLabel, text: $0.helpText) }),
            ("OPTIONS", named + version + [help]),
            ("SUBCOMMANDS", subcommands),
        ]
        text += sections.filter { !$0.1.isEmpty }
            .map { header, rows in "\(header):\n" + rows.map { render($0) }.joined() }
            .joined(separator: "\n")
        if !subcommands.isEmpty {
            let helpCommand = ([root.name, Self.helpCommandName] + path).joined(separator: " ")
            text += "\n  See '\(helpCommand) <subcommand>' for detailed help."
        }
        return text + "\n"
    }

    /// The usage line of the command at `path`, such as `connvault show <id> [--reveal] [--json]`.
    ///
    /// Like swift-argument-parser, a command with more than 12 arguments shows only the required and
    /// positional ones after `[<options>]`.
    func usage(for path: [String]) -> String {
        guard let command = root.command(at: path) else {
            preconditionFailure("no command at '\(path.joined(separator: " "))'")
        }
        var words = [([root.name] + path).joined(separator: " ")]
        if command.arguments.count > 12 {
            let kept = command.arguments.filter { $0.isPositional || ($0.arity.isRequired && $0.defaultValue == nil) }
            if kept.isEmpty || kept.count > 12 {
                words.append("<options>")
            } else {
                words += ["[<options>]"] + kept.map(\.synopsis)
            }
        } else {
            words += command.arguments.map(\.synopsis)
        }
        if !command.subcommands.isEmpty { words.append("<subcommand>") }
        return words.joined(separator: " ")
    }

    /// The report of a usage error for standard error: `Error:`, `Usage:` and where to find help.
    func errorText(for error: UsageError) -> String {
        let path = root.command(at: error.commandPath) == nil ? [] : error.commandPath
        let command = ([root.name] + path).joined(separator: " ")
        return """
            Error: \(error.message)
            Usage: \(usage(for: path))
              See '\(command) --help' for more information.

            """
    }

    /// One line (or two, for a long label) of a help section.
    private struct Row {
        var label: String
        var text: String
    }

    private func render(_ row: Row) -> String {
        let label = "  " + row.label
        guard !row.text.isEmpty else { return label + "\n" }
        let text = TextLayout.wrap(row.text, width: screenWidth, indent: Self.descriptionColumn)
        if label.count < Self.descriptionColumn {
            return label + text.dropFirst(label.count) + "\n"
        }
        return label + "\n" + text + "\n"
    }
}

extension ArgumentSpec {
    /// The description column of help: the help line, then the default value if any.
    fileprivate var helpText: String {
        guard let defaultValue, !defaultValue.isEmpty else { return help }
        return help.isEmpty ? "(default: \(defaultValue))" : "\(help) (default: \(defaultValue))"
    }
}
