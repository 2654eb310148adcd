import ConnectionVault

/// Runs a parsed command.
///
/// Commands that run verification flows over HTTP are `async`; every other command runs synchronously on the main
/// thread, so that those processes never start Swift concurrency's thread pool (`main.swift`).
enum Dispatcher {
    /// The commands ``runAsynchronously(_:)`` runs; ``run(_:)`` runs the rest.
    static let asynchronous: Set<String> = ["add", "update", "revalidate"]

    static func run(_ command: ParsedCommand) throws {
        switch command.name {
        case "init":
            return try InitCommand.run(command, location: VaultLocation(command: command))
        case "eval":
            return try EvalCommand.run(command)
        default:
            break
        }
        // Every other command opens the vault, checking the key before anything is read or written.
        let location = VaultLocation(command: command)
        let vault = try location.openVault()
        switch command.name {
        case "types import": try TypeCommands.importTypes(command, vault: vault)
        case "types list": try TypeCommands.list(command, vault: vault)
        case "types show": try TypeCommands.show(command, vault: vault)
        case "common set": try TypeCommands.setCommon(command, vault: vault)
        case "common show": try TypeCommands.showCommon(command, vault: vault)
        case "list": try ConnectionCommands.list(command, vault: vault)
        case "show": try ConnectionCommands.show(command, vault: vault)
        case "rename": try ConnectionCommands.rename(command, vault: vault)
        case "remove": try ConnectionCommands.remove(command, vault: vault)
        case "history": try ConnectionCommands.history(command, vault: vault)
        case "find": try ConnectionCommands.find(command, vault: vault)
        case "key rotate": try KeyCommands.rotate(command, vault: vault)
        case "key change-master": try KeyCommands.changeMaster(command, vault: vault, location: location)
        case "doctor": try DoctorCommand.run(command, vault: vault, location: location)
        case "export": try ArchiveCommands.export(command, vault: vault, location: location)
        case "import": try ArchiveCommands.importArchive(command, vault: vault, location: location)
        default:
            throw CommandError("'connvault \(command.name)' is not available yet in this version")
        }
    }

    /// Runs one of the ``asynchronous`` commands.
    static func runAsynchronously(_ command: ParsedCommand) async throws {
        // Every one of these commands sends requests: libcurl loads while the vault opens.
        try await Executor.preparingHTTP {
            let location = VaultLocation(command: command)
            let vault = try location.openVault()
            switch command.name {
            case "add": try await VerificationCommands.add(command, vault: vault)
            case "update": try await VerificationCommands.update(command, vault: vault)
            case "revalidate": try await RevalidateCommand.run(command, vault: vault)
            default: try run(command)
            }
        }
    }
}
