#if canImport(Glibc)
import Glibc
#endif
import Foundation
import IML

/// A vault file: connection types, common data, connections and their history, every secret sealed.
///
/// Open it once and share it: a `Vault` is safe to use from many threads, and many processes may open the
/// same file at once. Its methods block on SQLite and libsodium, so call them from your own threads (or
/// wrap them in a task executor), not from the cooperative thread pool.
public final class Vault: Sendable {
    /// Tunables for opening or creating a vault.
    public struct Options: Sendable {
        /// How long a write waits for another process's write transaction before failing.
        public var busyTimeout: Duration = .seconds(30)
        /// Argon2id limits used when a passphrase protects a new vault (or a new master key).
        public var passphraseHardness: PassphraseHardness = .moderate

        public init() {}
    }

    /// The sealed-value format version new vaults write.
    static let formatVersion = 1

    /// The file this vault lives in.
    public let path: String
    let queue: DatabaseQueue
    let keys: KeyRing
    let options: Options
    /// Where the async entry points run their SQLite and libsodium work, one block at a time (see
    /// `Vault+Blocking.swift`).
    let blockingQueue = DispatchQueue(label: "connvault.vault.blocking")

    /// The vault's id, bound into every ciphertext it holds.
    public var id: String { keys.vaultID }

    private init(path: String, queue: DatabaseQueue, keys: KeyRing, options: Options) {
        self.path = path
        self.queue = queue
        self.keys = keys
        self.options = options
    }

    // MARK: Creating and opening

    /// Creates a new vault file (mode 0600) protected by `key`; refuses to overwrite anything.
    public static func create(at path: String, key: MasterKeySource, options: Options = Options()) throws -> Vault {
        var row = VaultRow(id: UUID().storedText, formatVersion: formatVersion, kdf: "raw", keyCheck: [])
        let master = try newMasterKey(from: key, hardness: options.passphraseHardness, row: &row)
        try createPrivateFile(path)
        do {
            let database = try Database(path: path, mode: .create, busyTimeout: options.busyTimeout)
            let keys = KeyRing(vaultID: row.id, master: master)
            row.keyCheck = keys.makeKeyCheck()
            let now = Date().storedMilliseconds
            try Migrator.migrate(database, now: now)
            let dataKey = SecureBytes.random(count: SealedBox.keyBytes)
            let wrapped = keys.wrap(dataKey, version: 1)
            try database.writeTransaction { [row] in
                try database.insertVaultRow(row, now: now)
                try database.insertDataKey(version: 1, wrapped: wrapped, now: now)
            }
            try keys.replaceDataKeys([(1, wrapped)])
            return Vault(path: path, queue: DatabaseQueue(database), keys: keys, options: options)
        } catch {
            for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
            throw Self.translate(error, path: path)
        }
    }

    /// Opens an existing vault and checks `key` before anything is written.
    ///
    /// With a passphrase, Argon2id runs once here; with a raw key or key file it does not run at all.
    public static func open(at path: String, key: MasterKeySource, options: Options = Options()) throws -> Vault {
        guard FileManager.default.fileExists(atPath: path) else { throw VaultError.vaultNotFound(path: path) }
        do {
            let database = try Database(path: path, mode: .existing, busyTimeout: options.busyTimeout)
            let applied = try Migrator.appliedVersion(database)
            guard applied > 0, try database.tableExists("vault") else { throw VaultError.notAVault(path: path) }
            guard applied <= Migrator.latestVersion else {
                throw VaultError.schemaTooNew(found: applied, supported: Migrator.latestVersion)
            }
            guard let row = try database.vaultRow() else { throw VaultError.notAVault(path: path) }
            let master = try masterKey(for: row, from: key)
            let keys = KeyRing(vaultID: row.id, master: master)
            try keys.verifyKeyCheck(row.keyCheck)
            try Migrator.migrate(database, now: Date().storedMilliseconds)
            try keys.replaceDataKeys(database.wrappedDataKeys())
            return Vault(path: path, queue: DatabaseQueue(database), keys: keys, options: options)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// A new master key from `source`; a passphrase gets a fresh salt. Records the derivation in `row`.
    static func newMasterKey(
        from source: MasterKeySource, hardness: PassphraseHardness, row: inout VaultRow
    ) throws -> SecureBytes {
        guard case .passphrase(let passphrase) = source else {
            row.kdf = "raw"
            (row.salt, row.operations, row.memoryBytes) = (nil, nil, nil)
            return try MasterKeyMaterial.rawKey(source)!
        }
        guard passphrase.count > 0 else { throw VaultError.invalidInput("the passphrase is empty") }
        let derivation = MasterKeyMaterial.newDerivation(hardness: hardness)
        row.kdf = "argon2id"
        row.salt = derivation.salt
        row.operations = Int64(derivation.hardness.operations)
        row.memoryBytes = Int64(derivation.hardness.memoryBytes)
        return try MasterKeyMaterial.derive(passphrase: passphrase, derivation: derivation)
    }

    /// The master key `source` yields for the vault described by `row`.
    static func masterKey(for row: VaultRow, from source: MasterKeySource) throws -> SecureBytes {
        switch (row.kdf, source) {
        case ("argon2id", .passphrase(let passphrase)):
            guard let salt = row.salt, let operations = row.operations, let memory = row.memoryBytes,
                operations > 0, memory > 0
            else { throw VaultError.corruptVault("the stored passphrase parameters are missing") }
            let hardness = PassphraseHardness(operations: UInt64(operations), memoryBytes: Int(memory))
            return try MasterKeyMaterial.derive(
                passphrase: passphrase, derivation: .init(salt: salt, hardness: hardness))
        case ("argon2id", _):
            throw VaultError.wrongKey("this vault is protected by a passphrase, not a key")
        case (_, .passphrase):
            throw VaultError.wrongKey("this vault is protected by a key, not a passphrase")
        default:
            return try MasterKeyMaterial.rawKey(source)!
        }
    }

    /// Creates `path` with mode 0600 whatever the umask; fails if anything exists there.
    private static func createPrivateFile(_ path: String) throws {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST { throw VaultError.vaultExists(path: path) }
            throw VaultError.fileSystem("cannot create \(path): \(String(cString: strerror(code)))")
        }
        defer { Glibc.close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else {
            throw VaultError.fileSystem("cannot set the mode of \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Maps low-level errors to ``VaultError`` (e.g. SQLite's "not a database" to ``VaultError/notAVault(path:)``).
    static func translate(_ error: any Error, path: String) -> any Error {
        switch error {
        case let error as DatabaseError where error.primaryCode == 26: VaultError.notAVault(path: path)  // SQLITE_NOTADB
        case let error as DatabaseError where error.primaryCode == 14:  // SQLITE_CANTOPEN
            readOnlyFolderError(path) ?? VaultError.database(error)
        case let error as DatabaseError: VaultError.database(error)
        case let error as SealingError: VaultError.sealing(error)
        default: error
        }
    }

    /// When the folder holding `path` cannot be written, the error that says so: SQLite must create the vault's
    /// `-wal` and `-shm` files beside it, even to read, and otherwise reports only "unable to open database file".
    static func readOnlyFolderError(_ path: String) -> VaultError? {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard Glibc.access(folder, W_OK) != 0 else { return nil }
        let reason = String(cString: strerror(errno))
        return VaultError.fileSystem(
            "cannot open the vault \(path): its folder \(folder) is not writable (\(reason)); the vault needs to create "
                + "its -wal and -shm files there, even to read")
    }

    /// Closes the vault's file now instead of when the last reference to the vault goes, waiting for a call in
    /// progress; every later call on this vault throws.
    ///
    /// When no other connection (another process's, or another `Vault` on the file) is open, SQLite copies the WAL
    /// into the file and deletes it. A program about to exit calls this: a reference still held by a thread that
    /// is just finishing (a queue's block released after its caller resumed) would otherwise close it after the
    /// exit, or never.
    public func close() {
        queue.close()
    }

    // MARK: Access helpers

    /// Runs `body` in a read transaction, mapping errors to ``VaultError``.
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch { throw Self.translate(error, path: path) }
    }

    /// Runs `body` with the connection outside any transaction (single-statement reads), mapping errors.
    func access<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do { return try queue.inDatabase(body) } catch { throw Self.translate(error, path: path) }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction, mapping errors to ``VaultError``.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do { return try queue.write(body) } catch { throw Self.translate(error, path: path) }
    }

    /// Seals a JSON object for `location` with the newest data key (inside the caller's transaction).
    func seal(_ object: Object, at location: SealLocation, in database: Database) throws -> [UInt8] {
        var plaintext = Array(Value.object(object).compactJSON().utf8)
        defer { Sodium.wipe(&plaintext) }
        return try seal(plaintext, at: location, in: database)
    }

    /// Seals bytes for `location` with the newest data key (inside the caller's transaction).
    func seal(_ plaintext: [UInt8], at location: SealLocation, in database: Database) throws -> [UInt8] {
        guard let version = try database.newestDataKeyVersion(),
            let key = try keys.dataKey(version, reload: database.wrappedDataKeys)
        else { throw VaultError.corruptVault("the vault holds no data key") }
        return keys.seal(plaintext, at: location, key: key, version: version)
    }

    /// Opens a sealed JSON object stored at `location`.
    func open(_ sealed: [UInt8], at location: SealLocation, in database: Database) throws -> Object {
        try keys.open(sealed, at: location, reload: database.wrappedDataKeys) { try Self.object($0, at: location) }
    }

    /// Parses decrypted bytes that must hold a JSON object.
    static func object(_ plaintext: UnsafeRawBufferPointer, at location: SealLocation) throws -> Object {
        guard case .object(let object) = try? Value(parsingJSON: plaintext) else {
            throw VaultError.corruptVault("sealed value at \(location) does not hold a JSON object")
        }
        return object
    }
}
