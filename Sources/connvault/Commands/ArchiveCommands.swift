import ConnectionVault
import Foundation

/// `export --out FILE` and `import FILE`: encrypted archives under a passphrase.
enum ArchiveCommands {
    static func export(_ command: ParsedCommand, vault: Vault, location: VaultLocation) throws {
        let path = command.string("out") ?? ""
        let passphrase = try PassphraseInput.read(
            "CONNVAULT_EXPORT_PASSPHRASE", environment: location.environment, prompt: "Archive passphrase", confirm: true)
        try vault.exportArchive(to: path, passphrase: passphrase)
        let count = try vault.connections().count
        StandardStreams.out("Exported \(try vault.types().count) types and \(count) connections to \(path)\n")
    }

    static func importArchive(_ command: ParsedCommand, vault: Vault, location: VaultLocation) throws {
        let passphrase = try PassphraseInput.read(
            "CONNVAULT_EXPORT_PASSPHRASE", environment: location.environment, prompt: "Archive passphrase", confirm: false)
        let report = try vault.importArchive(from: command.string("file") ?? "", passphrase: passphrase)
        StandardStreams.out(
            "Imported \(report.types) types, \(report.connections) connections and \(report.historyEntries) history entries\n")
    }
}
