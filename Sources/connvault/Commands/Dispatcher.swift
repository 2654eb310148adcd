import ConnectionVault

/// Runs a parsed command.
enum Dispatcher {
    static func run(_ command: ParsedCommand) throws {
        let location = VaultLocation(command: command)
        switch command.name {
        case "init":
            try InitCommand.run(command, location: location)
        default:
            throw CommandError("'connvault \(command.name)' is not available yet in this version")
        }
    }
}
