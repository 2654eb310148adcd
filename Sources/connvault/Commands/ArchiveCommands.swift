import ConnectionVault
import Foundation

/// `export --out FILE` and `import FILE`: encrypted archives under a passphrase.
enum ArchiveCommands {
    static func export(_ command: ParsedCommand, vault: Vault, location: VaultLocation) throws {
        let path = command.string("out") ?? ""
        let passphrase = try passphrase(location, confirm: true)
        try vault.exportArchive(to: path, passphrase: passphrase)
        let count = try vault.connections().count
        StandardStreams.out("Exported \(try vault.types().count) types and \(count) connections to \(path)\n")
    }

    static func importArchive(_ command: ParsedCommand, vault: Vault, location: VaultLocation) throws {
        let passphrase = try passphrase(location, confirm: false)
        let report = try vault.importArchive(from: command.string("file") ?? "", passphrase: passphrase)
        StandardStreams.out(
            "Imported \(report.types) types, \(report.connections) connections and \(report.historyEntries) history entries\n")
    }

    /// `$CONNVAULT_EXPORT_PASSPHRASE`, else asked on a terminal (twice when creating an archive).
    private static func passphrase(_ location: VaultLocation, confirm: Bool) throws -> SecureBytes {
        if let text = location.environment["CONNVAULT_EXPORT_PASSPHRASE"], !text.isEmpty {
            return SecureBytes(copying: text.utf8)
        }
        guard let first = Terminal.readSecret(prompt: "Archive passphrase: ") else {
            throw CommandError(
                "an archive needs a passphrase: set $CONNVAULT_EXPORT_PASSPHRASE or run on a terminal", exitCode: .keyProblem)
        }
        if confirm {
            guard let second = Terminal.readSecret(prompt: "Repeat the archive passphrase: "), first.constantTimeEquals(second)
            else { throw CommandError("the two passphrases differ", exitCode: .keyProblem) }
        }
        guard first.count > 0 else { throw CommandError("the archive passphrase is empty", exitCode: .keyProblem) }
        return first
    }
}
