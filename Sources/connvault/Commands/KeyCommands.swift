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
            source = try newPassphrase(location)
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

    private static func newPassphrase(_ location: VaultLocation) throws -> MasterKeySource {
        if let text = location.environment["CONNVAULT_NEW_PASSPHRASE"] {
            guard !text.isEmpty else { throw CommandError("$CONNVAULT_NEW_PASSPHRASE is empty", exitCode: .keyProblem) }
            return .passphrase(text)
        }
        guard let first = Terminal.readSecret(prompt: "New passphrase: "),
            let second = Terminal.readSecret(prompt: "Repeat the new passphrase: ")
        else {
            throw CommandError("--passphrase needs $CONNVAULT_NEW_PASSPHRASE or a terminal to ask on", exitCode: .keyProblem)
        }
        guard first.count > 0, first.constantTimeEquals(second) else {
            throw CommandError("the passphrases are empty or differ", exitCode: .keyProblem)
        }
        return .passphrase(first)
    }
}
