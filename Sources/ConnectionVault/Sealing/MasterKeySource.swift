/// Where the master key comes from when a vault is created or opened.
public enum MasterKeySource: Sendable, CustomStringConvertible {
    /// 32 random bytes, already in guarded memory (see ``MasterKeySource/base64(_:)``).
    case key(SecureBytes)
    /// A file holding the base64 of 32 bytes and an optional trailing newline. It must grant no permission
    /// to group or others.
    case keyFile(path: String)
    /// A passphrase, stretched with Argon2id using the parameters stored in the vault.
    case passphrase(SecureBytes)

    /// A raw key given as the base64 of 32 bytes (e.g. from `$CONNVAULT_KEY`).
    public static func base64(_ text: String) throws(VaultError) -> MasterKeySource {
        .key(try MasterKeyMaterial.decodeBase64Key(Array(text.utf8), origin: "the key"))
    }

    /// A passphrase given as text; its UTF-8 bytes are copied into guarded memory.
    public static func passphrase(_ text: String) -> MasterKeySource {
        .passphrase(SecureBytes(copying: text.utf8))
    }

    public var description: String {
        switch self {
        case .key: "MasterKeySource.key(<redacted>)"
        case .keyFile(let path): "MasterKeySource.keyFile(\(path))"
        case .passphrase: "MasterKeySource.passphrase(<redacted>)"
        }
    }

    /// Whether this source is a passphrase (stretched with Argon2id) rather than a raw key.
    var isPassphrase: Bool {
        if case .passphrase = self { return true }
        return false
    }
}

/// How hard Argon2id works when a passphrase is turned into a master key.
public struct PassphraseHardness: Sendable, Hashable {
    /// Argon2id passes (`opslimit`).
    public var operations: UInt64
    /// Argon2id memory in bytes (`memlimit`).
    public var memoryBytes: Int

    public init(operations: UInt64, memoryBytes: Int) {
        self.operations = operations
        self.memoryBytes = memoryBytes
    }

    /// libsodium's moderate limits (3 passes, 256 MiB): the default for new vaults.
    public static let moderate = PassphraseHardness(operations: 3, memoryBytes: 256 << 20)
    /// libsodium's interactive limits (2 passes, 64 MiB): for tests and constrained machines.
    public static let interactive = PassphraseHardness(operations: 2, memoryBytes: 64 << 20)

    /// The most a vault file may demand; parameters read back are refused beyond these.
    static let maximum = PassphraseHardness(operations: 16, memoryBytes: 1 << 30)
    /// The least a vault file may declare.
    static let minimum = PassphraseHardness(operations: 1, memoryBytes: 8 << 10)

    /// Whether the parameters lie within ``minimum`` and ``maximum``.
    var isWithinLimits: Bool {
        (Self.minimum.operations...Self.maximum.operations).contains(operations)
            && (Self.minimum.memoryBytes...Self.maximum.memoryBytes).contains(memoryBytes)
    }
}
