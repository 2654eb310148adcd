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
            source = try passphrase(location)
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

    /// The passphrase from `$CONNVAULT_PASSPHRASE`, else asked twice on a terminal.
    private static func passphrase(_ location: VaultLocation) throws -> MasterKeySource {
        if let text = location.environment["CONNVAULT_PASSPHRASE"] {
            guard !text.isEmpty else { throw CommandError("$CONNVAULT_PASSPHRASE is empty", exitCode: .keyProblem) }
            return .passphrase(text)
        }
        guard let first = Terminal.readSecret(prompt: "New passphrase: "),
            let second = Terminal.readSecret(prompt: "Repeat the passphrase: ")
        else {
            throw CommandError(
                "--passphrase needs $CONNVAULT_PASSPHRASE or a terminal to ask on", exitCode: .keyProblem)
        }
        guard first.count > 0 else { throw CommandError("the passphrase is empty", exitCode: .keyProblem) }
        guard first.constantTimeEquals(second) else {
            throw CommandError("the two passphrases differ", exitCode: .keyProblem)
        }
        return .passphrase(first)
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
