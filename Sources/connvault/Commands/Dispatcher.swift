import ConnectionVault

/// Runs a parsed command.
enum Dispatcher {
    static func run(_ command: ParsedCommand) throws {
        switch command.name {
        case "init":
            try InitCommand.run(command, location: VaultLocation(command: command))
        case "eval":
            try EvalCommand.run(command)
        default:
            throw CommandError("'connvault \(command.name)' is not available yet in this version")
        }
    }
}
