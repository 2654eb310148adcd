import ConnectionVault

/// Runs a parsed command.
///
/// Commands that run verification flows over HTTP are `async`; every other command runs synchronously on the main
/// thread, so that those processes never start Swift concurrency's thread pool (`main.swift`).
enum Dispatcher {
    /// The commands ``prepareAsynchronously(_:)`` starts (the rest runs in a task); ``run(_:)`` runs the others.
    static let asynchronous: Set<String> = ["add", "update", "revalidate"]
    /// The commands that run as batch jobs (``BatchProcess``): they work through many connections, and nobody
    /// waits on any one of them.
    static let batch: Set<String> = ["revalidate"]

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

    /// Runs the synchronous part of one of the ``asynchronous`` commands on this thread: opening the vault and, for
    /// `revalidate`, choosing the connections. Returns the rest, to run in a task.
    ///
    /// `main` calls this right after ``Executor/startLoadingHTTP()``: both take a few milliseconds and overlap, and
    /// no thread is made before the task, since a thread made while libcurl loads waits for the whole load.
    static func prepareAsynchronously(_ command: ParsedCommand) throws -> @Sendable () async throws -> Void {
        let vault = try VaultLocation(command: command).openVault()
        let rest: @Sendable () async throws -> Void
        switch command.name {
        case "add": rest = { try await VerificationCommands.add(command, vault: vault) }
        case "update": rest = { try await VerificationCommands.update(command, vault: vault) }
        case "revalidate":
            let revalidation: RevalidateCommand
            do { revalidation = try RevalidateCommand(command, vault: vault) } catch {
                vault.close()
                throw error
            }
            rest = { try await revalidation.run() }
        default: preconditionFailure("'\(command.name)' is not one of Dispatcher.asynchronous")
        }
        // The vault closes before the process exits (copying its WAL into the file), whatever still holds it.
        return {
            defer { vault.close() }
            try await rest()
        }
    }
}
