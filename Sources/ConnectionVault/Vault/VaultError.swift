/// What went wrong in a vault operation. Names what failed; never carries a secret value.
public enum VaultError: Error, Sendable, Hashable, CustomStringConvertible {
    // MARK: Keys
    /// The master key or passphrase does not open this vault.
    case wrongKey(String)
    /// Key text that is not the base64 of 32 bytes.
    case malformedKey(String)
    /// A key file that grants permissions to group or others.
    case keyFilePermissions(path: String, mode: UInt32)
    /// A key file that does not exist or cannot be read.
    case keyFileUnreadable(path: String)
    /// Argon2id could not run (out of memory).
    case keyDerivationFailed

    // MARK: The file
    /// No vault at that path.
    case vaultNotFound(path: String)
    /// A vault (or another file) already exists at that path.
    case vaultExists(path: String)
    /// The file exists but is not a ConnectionVault vault.
    case notAVault(path: String)
    /// The vault's schema is newer than this binary knows.
    case schemaTooNew(found: Int, supported: Int)
    /// The file could not be created or its permissions set.
    case fileSystem(String)
    /// The vault's own bookkeeping is inconsistent.
    case corruptVault(String)

    // MARK: Content
    /// No connection type of that name.
    case typeNotFound(String)
    /// No connection with that id.
    case connectionNotFound(String)
    /// Input that breaks a rule of the vault (names the rule, never the value).
    case invalidInput(String)
    /// A stored sealed value that did not open.
    case sealing(SealingError)
    /// An SQLite failure.
    case database(DatabaseError)

    public var description: String {
        switch self {
        case .wrongKey(let why): "wrong master key: \(why)"
        case .malformedKey(let why): "malformed master key: \(why)"
        case .keyFilePermissions(let path, let mode):
            "key file \(path) is readable by others (mode \(String(mode, radix: 8))); fix it with: chmod 600 \(path)"
        case .keyFileUnreadable(let path): "cannot read key file \(path)"
        case .keyDerivationFailed: "Argon2id key derivation failed (not enough memory?)"
        case .vaultNotFound(let path): "no vault at \(path); create one with 'connvault init'"
        case .vaultExists(let path): "\(path) already exists; refusing to overwrite it"
        case .notAVault(let path): "\(path) is not a ConnectionVault vault"
        case .schemaTooNew(let found, let supported):
            "the vault's schema version \(found) is newer than this connvault supports (\(supported)); upgrade connvault"
        case .fileSystem(let why): why
        case .corruptVault(let why): "corrupt vault: \(why)"
        case .typeNotFound(let name): "no connection type named '\(name)'"
        case .connectionNotFound(let id): "no connection with id '\(id)'"
        case .invalidInput(let why): why
        case .sealing(let error): error.description
        case .database(let error): error.description
        }
    }
}
