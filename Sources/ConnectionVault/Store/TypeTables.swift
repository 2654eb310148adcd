/// The `connection_types` and `common_data` tables.
struct TypeRow: Sendable {
    var name: String
    var label: String
    var specJSON: String
    var version: Int
    var importedAt: Int64
    var connectionCount: Int
}

extension Database {
    private static let typeColumns = """
        SELECT t.name, t.label, t.spec_json, t.spec_version, t.imported_at,
               (SELECT count(*) FROM connections c WHERE c.type_name = t.name)
        FROM connection_types t
        """

    private func typeRow(_ row: Statement) -> TypeRow {
        TypeRow(
            name: row.text(0), label: row.text(1), specJSON: row.text(2), version: row.int(3),
            importedAt: row.int64(4), connectionCount: row.int(5))
    }

    func typeRows() throws -> [TypeRow] {
        try query(Self.typeColumns + " ORDER BY t.name") { typeRow($0) }
    }

    func typeRow(named name: String) throws -> TypeRow? {
        try queryFirst(Self.typeColumns + " WHERE t.name = ?", [name]) { typeRow($0) }
    }

    /// A type's spec version, without counting its connections as ``typeRow(named:)`` does; nil when there is no
    /// such type.
    func typeVersion(named name: String) throws -> Int? {
        try queryFirst("SELECT spec_version FROM connection_types WHERE name = ?", [name]) { $0.int(0) }
    }

    /// Inserts the type at version 1, or replaces its spec and adds 1 to its version; returns the new version.
    func upsertType(name: String, label: String, specJSON: String, now: Int64) throws -> Int {
        try queryFirst(
            """
            INSERT INTO connection_types (name, label, spec_json, spec_version, imported_at) VALUES (?, ?, ?, 1, ?)
            ON CONFLICT (name) DO UPDATE SET
                label = excluded.label, spec_json = excluded.spec_json,
                spec_version = spec_version + 1, imported_at = excluded.imported_at
            RETURNING spec_version
            """, [name, label, specJSON, now]
        ) { $0.int(0) } ?? 0
    }

    func sealedCommonData(type: String) throws -> [UInt8]? {
        try queryFirst("SELECT sealed FROM common_data WHERE type_name = ?", [type]) { $0.blob(0) }
    }

    func setSealedCommonData(type: String, sealed: [UInt8], now: Int64) throws {
        try run(
            """
            INSERT INTO common_data (type_name, sealed, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (type_name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at
            """, type, sealed, now)
    }

    /// Every type's sealed common data, for rotation and checks.
    func allSealedCommonData() throws -> [(type: String, sealed: [UInt8])] {
        try query("SELECT type_name, sealed FROM common_data ORDER BY type_name") { ($0.text(0), $0.blob(1)) }
    }

    func updateSealedCommonData(type: String, sealed: [UInt8]) throws {
        try run("UPDATE common_data SET sealed = ? WHERE type_name = ?", sealed, type)
    }
}
