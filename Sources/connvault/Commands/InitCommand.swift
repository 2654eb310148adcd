import ConnectionVault
import Foundation

/// `connvault init [--passphrase] [--key-file PATH]`: creates the vault and, when no key exists, its key file.
enum InitCommand {
    static func run(_ command: ParsedCommand, location: VaultLocation) throws {
        let vaultPath = absolute(location.vaultPath)
        guard !FileManager.default.fileExists(atPath: vaultPath) else {
            throw CommandError("\(vaultPath) already exists; init never overwrites a vault")
        }
        var wroteKeyFile: String?
        let source: MasterKeySource
        if command.flag("passphrase") {
            source = .passphrase(try PassphraseInput.read(
                "CONNVAULT_PASSPHRASE", environment: location.environment, prompt: "New passphrase", confirm: true))
        } else if let present = try presentSource(location) {
            source = present
        } else {
            let keyFile = absolute(location.keyFileFlag ?? location.defaultKeyFile)
            try createPrivateDirectories((keyFile as NSString).deletingLastPathComponent)
            do { source = try MasterKeySource.createKeyFile(at: keyFile) } catch let error as VaultError {
                throw CommandError(error)
            }
            wroteKeyFile = keyFile
        }
        try createPrivateDirectories((vaultPath as NSString).deletingLastPathComponent)
        do {
            _ = try Vault.create(at: vaultPath, key: source)
        } catch let error as VaultError {
            if let wroteKeyFile { unlink(wroteKeyFile) }
            throw CommandError(error)
        }
        StandardStreams.out("Created vault \(vaultPath)\n")
        if let wroteKeyFile {
            StandardStreams.out(
                "Wrote a new master key to \(wroteKeyFile) (mode 0600). Keep a copy in a safe place: "
                    + "without it the vault cannot be opened.\n")
        }
    }

    /// The first key source present; `--key-file` naming a file that does not exist yet means "write it there".
    private static func presentSource(_ location: VaultLocation) throws -> MasterKeySource? {
        if let flag = location.keyFileFlag, location.environment["CONNVAULT_KEY"] == nil,
            !FileManager.default.fileExists(atPath: flag)
        {
            return nil
        }
        return try location.presentKeySource()
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
