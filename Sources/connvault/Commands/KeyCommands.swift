import ConnectionVault
import Foundation

/// `key rotate` and `key change-master`.
enum KeyCommands {
    static func rotate(_ command: ParsedCommand, vault: Vault) throws {
        let report = try vault.rotateDataKey()
        StandardStreams.out(
            "Rotated the data key: now version \(report.keyVersion), \(report.resealedValues) sealed values re-encrypted"
                + (report.walTruncated ? ", write-ahead log truncated.\n" : "; other readers kept the write-ahead log, it will be truncated at the next checkpoint.\n"))
    }

    static func changeMaster(_ command: ParsedCommand, vault: Vault, location: VaultLocation) throws {
        let passphrase = command.flag("passphrase")
        let keyFile = command.string("key-file")
        let source: MasterKeySource
        switch (passphrase, keyFile) {
        case (true, nil):
            source = .passphrase(try PassphraseInput.read(
                "CONNVAULT_NEW_PASSPHRASE", environment: location.environment, prompt: "New passphrase", confirm: true))
        case (false, let path?):
            do { source = try MasterKeySource.createKeyFile(at: path) } catch let error as VaultError {
                throw CommandError(error)
            }
        case (true, _?):
            throw command.usageError("give either --passphrase or --key-file, not both")
        case (false, nil):
            throw command.usageError("say where the new master key goes: --key-file <path> or --passphrase")
        }
        try vault.changeMasterKey(to: source)
        StandardStreams.out(
            keyFile.map { "The vault's master key is now the new key in \($0); the old key no longer opens it.\n" }
                ?? "The vault is now protected by the new passphrase; the old key no longer opens it.\n")
    }
}
