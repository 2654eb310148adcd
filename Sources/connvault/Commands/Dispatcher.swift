import ConnectionVault
import Synchronization

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

    /// Runs the synchronous part of one of the ``asynchronous`` commands on this thread: opening the vault and, for
    /// `revalidate`, choosing the connections. Returns the rest, to run in a task.
    ///
    /// `main` calls this right after ``Executor/startLoadingHTTP()``: both take a few milliseconds and overlap, and
    /// no thread is made before the task, since a thread made while libcurl loads waits for the whole load.
    static func prepareAsynchronously(_ command: ParsedCommand) throws -> PreparedCommand {
        let vault = try VaultLocation(command: command).openVault()
        switch command.name {
        case "add": return PreparedCommand { try await VerificationCommands.add(command, vault: vault) }
        case "update": return PreparedCommand { try await VerificationCommands.update(command, vault: vault) }
        case "revalidate":
            let revalidation = try RevalidateCommand(command, vault: vault)
            return PreparedCommand { try await revalidation.run() }
        default: preconditionFailure("'\(command.name)' is not one of Dispatcher.asynchronous")
        }
    }
}

/// The rest of an asynchronous command whose synchronous part ran (``Dispatcher/prepareAsynchronously(_:)``).
///
/// It runs once, and what it holds — the vault above all — is released when it returns: the vault then closes,
/// copying its WAL into the file, before the process exits.
final class PreparedCommand: Sendable {
    private let rest: Mutex<(@Sendable () async throws -> Void)?>

    init(_ rest: @escaping @Sendable () async throws -> Void) {
        self.rest = Mutex(rest)
    }

    func run() async throws {
        guard let body = rest.withLock({ $0.take() }) else { preconditionFailure("a prepared command runs once") }
        try await body()
    }
}
