/// The `vault` row and the `data_keys` table.
struct VaultRow: Sendable {
    var id: String
    var formatVersion: Int
    /// `raw` or `argon2id`.
    var kdf: String
    var salt: [UInt8]?
    var operations: Int64?
    var memoryBytes: Int64?
    var keyCheck: [UInt8]
}

extension Database {
    func vaultRow() throws -> VaultRow? {
        try queryFirst(
            "SELECT id, format_version, kdf, kdf_salt, kdf_opslimit, kdf_memlimit, key_check FROM vault WHERE singleton = 1"
        ) {
            VaultRow(
                id: $0.text(0), formatVersion: $0.int(1), kdf: $0.text(2), salt: $0.optionalBlob(3),
                operations: $0.optionalInt64(4), memoryBytes: $0.optionalInt64(5), keyCheck: $0.blob(6))
        }
    }

    func insertVaultRow(_ row: VaultRow, now: Int64) throws {
        try run(
            """
            INSERT INTO vault (singleton, id, format_version, kdf, kdf_salt, kdf_opslimit, kdf_memlimit, key_check, created_at)
            VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            row.id, row.formatVersion, row.kdf, row.salt, row.operations, row.memoryBytes, row.keyCheck, now)
    }

    func updateMasterKeyColumns(_ row: VaultRow) throws {
        try run(
            """
            UPDATE vault SET kdf = ?, kdf_salt = ?, kdf_opslimit = ?, kdf_memlimit = ?, key_check = ?
            WHERE singleton = 1
            """,
            row.kdf, row.salt, row.operations, row.memoryBytes, row.keyCheck)
    }

    /// Every wrapped data key.
    func wrappedDataKeys() throws -> [(version: UInt32, sealed: [UInt8])] {
        try query("SELECT version, wrapped_key FROM data_keys") { (UInt32(truncatingIfNeeded: $0.int64(0)), $0.blob(1)) }
    }

    /// The version of the newest data key, the one that seals.
    func newestDataKeyVersion() throws -> UInt32? {
        try queryFirst("SELECT max(version) FROM data_keys") { $0.optionalInt64(0) }?
            .map { UInt32(truncatingIfNeeded: $0) }
    }

    func insertDataKey(version: UInt32, wrapped: [UInt8], now: Int64) throws {
        try run("INSERT INTO data_keys (version, wrapped_key, created_at) VALUES (?, ?, ?)", Int64(version), wrapped, now)
    }

    func updateWrappedDataKey(version: UInt32, wrapped: [UInt8]) throws {
        try run("UPDATE data_keys SET wrapped_key = ? WHERE version = ?", wrapped, Int64(version))
    }

    func deleteDataKeys(olderThan version: UInt32) throws {
        try run("DELETE FROM data_keys WHERE version < ?", Int64(version))
    }
}
