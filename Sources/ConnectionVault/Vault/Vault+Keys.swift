import Foundation
import IML

/// What a data-key rotation did.
public struct RotationReport: Sendable, Hashable {
    /// The version of the new data key.
    public var keyVersion: Int
    /// How many sealed values were re-encrypted.
    public var resealedValues: Int
    /// Whether the WAL was checkpointed and truncated to zero bytes (false when readers in other processes
    /// held it; the next checkpoint will then finish the job).
    public var walTruncated: Bool
}

extension Vault {
    /// Rows are re-sealed in batches of this many, so memory stays flat however large the vault.
    private static let rotationBatch = 500

    /// Replaces the data key: every secret is re-encrypted under a new key in one transaction, the old key is
    /// deleted, and the WAL is checkpointed with TRUNCATE so no old ciphertext remains in it.
    @discardableResult
    public func rotateDataKey() throws -> RotationReport {
        let newKey = SecureBytes.random(count: SealedBox.keyBytes)
        let (version, count) = try write { database in
            let version = (try database.newestDataKeyVersion() ?? 0) + 1
            let reload = database.wrappedDataKeys
            try database.insertDataKey(version: version, wrapped: keys.wrap(newKey, version: version),
                                       now: Date().storedMilliseconds)
            var count = 0
            var after = ""
            while true {
                let batch = try database.query(
                    "SELECT id, sealed FROM connections WHERE id > ? ORDER BY id LIMIT ?", [after, Self.rotationBatch]
                ) { ($0.text(0), $0.blob(1)) }
                for (id, sealed) in batch {
                    let location = SealLocation(table: "connections", rowID: id, field: "sealed")
                    let resealed = try keys.reseal(sealed, at: location, key: newKey, version: version, reload: reload)
                    try database.updateSealedSecrets(id: id, sealed: resealed)
                }
                count += batch.count
                guard let last = batch.last, batch.count == Self.rotationBatch else { break }
                after = last.0
            }
            for (type, sealed) in try database.allSealedCommonData() {
                let resealed = try keys.reseal(
                    sealed, at: Self.commonLocation(type), key: newKey, version: version, reload: reload)
                try database.updateSealedCommonData(type: type, sealed: resealed)
                count += 1
            }
            try database.deleteDataKeys(olderThan: version)
            return (version, count)
        }
        try queue.inDatabase { try keys.replaceDataKeys($0.wrappedDataKeys()) }
        let truncated = try checkpoint()
        return RotationReport(keyVersion: Int(version), resealedValues: count, walTruncated: truncated)
    }

    /// Protects the vault with a new master key: the data keys are re-wrapped, no secret is re-encrypted.
    public func changeMasterKey(to source: MasterKeySource) throws {
        var row = VaultRow(id: id, formatVersion: Self.formatVersion, kdf: "raw", keyCheck: [])
        let master = try Self.newMasterKey(from: source, hardness: options.passphraseHardness, row: &row)
        row.keyCheck = keys.makeKeyCheck(master: master)
        try write { [row] database in
            try keys.replaceDataKeys(database.wrappedDataKeys())
            for (version, _) in try database.wrappedDataKeys() {
                guard let dataKey = try keys.dataKey(version, reload: { [] }) else { continue }
                try database.updateWrappedDataKey(version: version, wrapped: keys.wrap(dataKey, version: version, master: master))
            }
            try database.updateMasterKeyColumns(row)
        }
        keys.replaceMaster(master)
        try checkpoint()
    }

    /// Checkpoints the WAL into the database file and truncates it; false when other readers held it.
    @discardableResult
    public func checkpoint() throws -> Bool {
        do { return try queue.inDatabase { try $0.checkpointTruncate() } } catch { throw Self.translate(error, path: path) }
    }
}
