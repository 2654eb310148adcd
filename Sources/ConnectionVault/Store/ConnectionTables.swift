import Foundation

/// The `connections` and `history` tables. Listing reads plain columns only; nothing here decrypts.
extension Database {
    private static let connectionColumns = """
        SELECT id, type_name, name, status, metadata_type, metadata_value, uid, spec_version,
               verified_at, expires_at, created_at, updated_at, last_outcome, last_error
        FROM connections
        """

    private func connection(_ row: Statement) throws -> Connection {
        let id = row.text(0)
        guard let uuid = UUID(storedText: id), let status = ConnectionStatus(rawValue: row.text(3)) else {
            throw VaultError.corruptVault("connections row '\(id)' has a malformed id or status")
        }
        let metadata = row.optionalText(5).map {
            Metadata(type: row.optionalText(4).flatMap(Metadata.Kind.init(rawValue:)) ?? .text, value: $0)
        }
        return Connection(
            id: uuid, typeName: row.text(1), name: row.text(2), status: status, metadata: metadata,
            uid: row.optionalText(6), specVersion: row.int(7), verifiedAt: row.optionalDate(8),
            expiresAt: row.optionalDate(9), createdAt: row.date(10), updatedAt: row.date(11),
            lastOutcome: row.optionalText(12).flatMap(Outcome.init(rawValue:)), lastError: row.optionalText(13))
    }

    /// Connections matching `filter`, ordered by id.
    func connections(_ filter: ConnectionFilter) throws -> [Connection] {
        var conditions: [String] = []
        var values: [any DatabaseValueConvertible] = []
        if let type = filter.typeName {
            conditions.append("type_name = ?")
            values.append(type)
        }
        if let status = filter.status {
            conditions.append("status = ?")
            values.append(status.rawValue)
        }
        if let uid = filter.uid {
            conditions.append("uid = ?")
            values.append(uid)
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try query(Self.connectionColumns + whereClause + " ORDER BY id", values) { try connection($0) }
    }

    func connection(id: UUID) throws -> Connection? {
        try queryFirst(Self.connectionColumns + " WHERE id = ?", [id.storedText]) { try connection($0) }
    }

    /// Up to `limit` ids starting with `prefix` (lower-case hex digits and dashes only).
    func connectionIDs(prefix: String, limit: Int) throws -> [String] {
        try query("SELECT id FROM connections WHERE id GLOB ? ORDER BY id LIMIT ?", [prefix + "*", limit]) {
            $0.text(0)
        }
    }

    /// Calls `body` with a connection's sealed secrets, read in place (nil when there is no such connection).
    func withSealedSecrets<R>(id: UUID, _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        let statement = try statement("SELECT sealed FROM connections WHERE id = ?" as StaticString)
        defer { statement.finish() }
        try statement.bind(id, at: 1)
        guard try statement.step() else { return try body(nil) }
        return try statement.withBlob(0, body)
    }

    func insertConnection(_ connection: Connection, sealed: [UInt8]) throws {
        try run(
            """
            INSERT INTO connections (id, type_name, name, status, metadata_type, metadata_value, uid, spec_version,
                verified_at, expires_at, created_at, updated_at, last_outcome, last_error, sealed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            connection.id.storedText, connection.typeName, connection.name, connection.status.rawValue,
            connection.metadata?.type.rawValue, connection.metadata?.value, connection.uid, connection.specVersion,
            connection.verifiedAt?.storedMilliseconds, connection.expiresAt?.storedMilliseconds,
            connection.createdAt.storedMilliseconds, connection.updatedAt.storedMilliseconds,
            connection.lastOutcome?.rawValue, connection.lastError, sealed)
    }

    /// Writes every plain column of `connection` (not its sealed secrets).
    func updateConnectionColumns(_ connection: Connection) throws {
        try run(
            """
            UPDATE connections SET type_name = ?, name = ?, status = ?, metadata_type = ?, metadata_value = ?, uid = ?,
                spec_version = ?, verified_at = ?, expires_at = ?, updated_at = ?, last_outcome = ?, last_error = ?
            WHERE id = ?
            """,
            connection.typeName, connection.name, connection.status.rawValue, connection.metadata?.type.rawValue,
            connection.metadata?.value, connection.uid, connection.specVersion,
            connection.verifiedAt?.storedMilliseconds, connection.expiresAt?.storedMilliseconds,
            connection.updatedAt.storedMilliseconds, connection.lastOutcome?.rawValue, connection.lastError,
            connection.id.storedText)
    }

    func updateSealedSecrets(id: String, sealed: [UInt8]) throws {
        try run("UPDATE connections SET sealed = ? WHERE id = ?", sealed, id)
    }

    /// Every connection's sealed secrets, for rotation and checks.
    func allSealedSecrets() throws -> [(id: String, sealed: [UInt8])] {
        try query("SELECT id, sealed FROM connections ORDER BY id") { ($0.text(0), $0.blob(1)) }
    }

    func deleteConnection(id: UUID) throws -> Bool {
        try run("DELETE FROM connections WHERE id = ?", id.storedText) > 0
    }

    func insertHistory(_ entry: HistoryEntry, connectionID: UUID) throws {
        try run(
            """
            INSERT INTO history (connection_id, at, spec_version, outcome, http_status, duration_ms, error)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            connectionID.storedText, entry.at.storedMilliseconds, entry.specVersion, entry.outcome.rawValue,
            entry.httpStatus, entry.durationMs, entry.error)
    }

    /// A connection's runs, newest first; all of them when `limit` is nil.
    func history(connectionID: UUID, limit: Int?) throws -> [HistoryEntry] {
        try query(
            """
            SELECT at, spec_version, outcome, http_status, duration_ms, error FROM history
            WHERE connection_id = ? ORDER BY at DESC, id DESC LIMIT ?
            """, [connectionID.storedText, limit ?? -1]
        ) { row in
            guard let outcome = Outcome(rawValue: row.text(2)) else {
                throw VaultError.corruptVault("a history row of '\(connectionID.storedText)' has an unknown outcome")
            }
            return HistoryEntry(
                at: row.date(0), specVersion: row.int(1), outcome: outcome, httpStatus: row.optionalInt64(3).map(Int.init),
                durationMs: row.int(4), error: row.optionalText(5))
        }
    }
}

extension UUID {
    /// Parses the canonical text of the `id` column by hand (Foundation's parser goes through `sscanf`, which
    /// showed in `list` profiles); falls back to Foundation for any other spelling.
    init?(storedText text: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var high: UInt8?
        for (index, character) in text.utf8.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard character == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            default: self.init(uuidString: text); return
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard bytes.count == 16, text.utf8.count == 36 else { return nil }
        self.init(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                         bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// The canonical lower-case text stored in the `id` column.
    var storedText: String {
        withStoredText { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the 36 ASCII bytes of ``storedText``, formatted on the stack (the hot path needs no string).
    func withStoredText<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { out in
            let digits: StaticString = "0123456789abcdef"
            var position = 0
            withUnsafeBytes(of: uuid) { bytes in
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    out[position] = digits.utf8Start[Int(byte >> 4)]
                    out[position + 1] = digits.utf8Start[Int(byte & 0x0f)]
                    position += 2
                }
            }
            return try body(UnsafeBufferPointer(out))
        }
    }
}
