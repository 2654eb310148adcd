import ConnectionVault
import Foundation

/// Where the vault and its master key are, following cli.md's "first match wins" order.
struct VaultLocation {
    let environment: [String: String]
    let vaultFlag: String?
    let keyFileFlag: String?

    init(command: ParsedCommand, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        vaultFlag = command.string("vault")
        keyFileFlag = command.string("key-file")
    }

    private var home: String { environment["HOME"] ?? NSHomeDirectory() }

    private func base(_ variable: String, default fallback: String) -> String {
        if let value = environment[variable], value.hasPrefix("/") { return value }
        return home + "/" + fallback
    }

    /// `--vault`, `$CONNVAULT_PATH`, `$XDG_DATA_HOME/connvault/vault.db` (default `~/.local/share/…`).
    var vaultPath: String {
        vaultFlag ?? environment["CONNVAULT_PATH"] ?? base("XDG_DATA_HOME", default: ".local/share") + "/connvault/vault.db"
    }

    /// The key file `init` writes when no other source is given: `$XDG_CONFIG_HOME/connvault/master.key`.
    var defaultKeyFile: String { base("XDG_CONFIG_HOME", default: ".config") + "/connvault/master.key" }

    /// The first key source present, without prompting: `$CONNVAULT_KEY`, `--key-file`, `$CONNVAULT_KEY_FILE`,
    /// the default key file when it exists, `$CONNVAULT_PASSPHRASE`. Nil when there is none.
    func presentKeySource() throws -> MasterKeySource? {
        if let key = environment["CONNVAULT_KEY"] {
            do { return try .base64(key) } catch { throw CommandError(error) }
        }
        if let path = keyFileFlag ?? environment["CONNVAULT_KEY_FILE"] { return .keyFile(path: path) }
        if FileManager.default.fileExists(atPath: defaultKeyFile) { return .keyFile(path: defaultKeyFile) }
        if let passphrase = environment["CONNVAULT_PASSPHRASE"] { return .passphrase(passphrase) }
        return nil
    }

    /// The key source for opening the vault: a present one, else a passphrase prompt on a terminal.
    func keySourceForOpening() throws -> MasterKeySource {
        if let source = try presentKeySource() { return source }
        if let passphrase = Terminal.readSecret(prompt: "Passphrase for \(vaultPath): ") { return .passphrase(passphrase) }
        throw CommandError(
            "no master key: set $CONNVAULT_KEY or $CONNVAULT_KEY_FILE, pass --key-file, or set $CONNVAULT_PASSPHRASE",
            exitCode: .keyProblem)
    }

    /// Opens the vault, checking the key before anything is read or written.
    func openVault() throws -> Vault {
        let path = vaultPath
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandError(VaultError.vaultNotFound(path: path))
        }
        let source = try keySourceForOpening()
        do { return try Vault.open(at: path, key: source) } catch let error as VaultError { throw CommandError(error) }
    }
}

/// Creates a directory and its missing parents with mode 0700.
func createPrivateDirectories(_ path: String) throws {
    var current = ""
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
        current += "/" + component
        if mkdir(current, 0o700) != 0 && errno != EEXIST {
            throw CommandError("cannot create directory \(current): \(String(cString: strerror(errno)))")
        }
    }
}
