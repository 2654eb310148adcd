package import Foundation

/// The `connections` and `history` tables. Listing reads plain columns only; nothing here decrypts.
extension Database {
    /// The plain columns, in the order ``connection(_:)`` reads them.
    private static let plainColumns = """
        id, type_name, name, status, metadata_type, metadata_value, uid, spec_version,
               verified_at, expires_at, created_at, updated_at, last_outcome, last_error
        """
    private static let connectionColumns = "SELECT " + plainColumns + " FROM connections"
    /// The plain columns, the sealed secrets (column 14) and the row version (column 15): a ``RunnableRow``.
    private static let runnableColumns = "SELECT " + plainColumns + ", sealed, version FROM connections"

    /// What a verification run needs of a stored connection: its plain columns, its sealed secrets (a copy) and
    /// its row version (``updateConnection(from:to:sealed:ifVersion:)`` records the run against it).
    typealias RunnableRow = (connection: Connection, sealed: [UInt8], version: Int64)

    /// The ``RunnableRow`` of a row of ``runnableColumns``.
    private func runnableRow(_ row: Statement) throws -> RunnableRow {
        (try connection(row), row.blob(14), row.int64(15))
    }

    private func connection(_ row: Statement) throws -> Connection {
        guard let uuid = row.withTextBytes(0, { UUID(storedText: $0) }),
            let status = ConnectionStatus(rawValue: row.text(3))
        else {
            throw VaultError.corruptVault("connections row '\(row.text(0))' has a malformed id or status")
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

    /// The ids and names of a type's connections (every type's when nil), ascending by id; with `due`, only those
    /// expiring by `due.expiringBy` or not verified since `due.verifiedSince` (or never).
    func connectionHeadings(typeName: String?, due: (expiringBy: Date, verifiedSince: Date)?) throws
        -> [ConnectionHeading]
    {
        var conditions: [String] = []
        var values: [any DatabaseValueConvertible] = []
        if let typeName {
            conditions.append("type_name = ?")
            values.append(typeName)
        }
        if let due {
            conditions.append("(expires_at <= ? OR verified_at IS NULL OR verified_at < ?)")
            values.append(due.expiringBy.storedMilliseconds)
            values.append(due.verifiedSince.storedMilliseconds)
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try query("SELECT id, name FROM connections" + whereClause + " ORDER BY id", values) { row in
            guard let uuid = row.withTextBytes(0, { UUID(storedText: $0) }) else {
                throw VaultError.corruptVault("connections row '\(row.text(0))' has a malformed id")
            }
            return ConnectionHeading(id: uuid, name: row.text(1))
        }
    }

    /// Connection `id`'s ``RunnableRow`` (nil when there is none).
    func runnableConnection(id: UUID) throws -> RunnableRow? {
        try withConnectionRow(id: id, runnableRow)
    }

    /// A connection's plain columns, and whether its sealed secrets are still `sealed` byte for byte (false when
    /// `sealed` is nil).
    func connection(id: UUID, sealedStillEquals sealed: [UInt8]?) throws -> (connection: Connection, unchanged: Bool)? {
        try withConnectionRow(id: id) { row in
            guard let sealed else { return (try connection(row), false) }
            let unchanged = row.withBlob(14) { stored in
                sealed.withUnsafeBytes { loaded in
                    stored.count == loaded.count
                        && (stored.isEmpty || memcmp(stored.baseAddress!, loaded.baseAddress!, stored.count) == 0)
                }
            }
            return (try connection(row), unchanged)
        }
    }

    /// The runnable rows of `ids`, which ascend, by position, read as one range of the table of at most `limit`
    /// rows: one seek and a walk along it instead of a lookup per id. Rows in between that were not asked for are
    /// passed over without being decoded; an id the range covered without a row is nil (removed meanwhile). Also
    /// returns the position of the first id the range did not reach (`ids.endIndex` when it reached them all), which
    /// happens when it stopped at `limit` rows.
    func runnableConnections(ascending ids: ArraySlice<UUID>, limit: Int) throws
        -> (rows: [(index: Int, row: RunnableRow?)], reached: Int)
    {
        guard let first = ids.first, let last = ids.last else { return ([], ids.endIndex) }
        let statement = try statement("connections with sealed and version in a range", variant: 0) {
            Self.runnableColumns + " WHERE id >= ? AND id <= ? ORDER BY id LIMIT ?"
        }
        defer { statement.finish() }
        try statement.bind(first, at: 1)
        try statement.bind(last, at: 2)
        try statement.bind(.integer(Int64(limit)), at: 3)
        var rows: [(index: Int, row: RunnableRow?)] = []
        rows.reserveCapacity(ids.count)
        var next = ids.startIndex
        var fetched = 0
        // The id sought next, as stored; rows are compared with it byte for byte, in the order SQLite sorts them.
        var wanted = [UInt8](repeating: 0, count: 36)
        func seek(_ position: Int) {
            next = position
            guard next < ids.endIndex else { return }
            wanted.withUnsafeMutableBufferPointer { ids[next].writeStoredText(to: $0.baseAddress!) }
        }
        seek(ids.startIndex)
        while next < ids.endIndex, try statement.step() {
            fetched += 1
            while next < ids.endIndex {
                let order = statement.withTextBytes(0) { row in Self.compare(row, wanted) }
                if order < 0 { break }  // a row not asked for: passed over
                // Its row, or nil when the range went past it (removed).
                rows.append((next, order == 0 ? try runnableRow(statement) : nil))
                seek(next + 1)
                if order == 0 { break }
            }
        }
        // Ids after the last row: removed when the range ended by itself, not reached when it stopped at `limit`.
        if fetched < limit {
            while next < ids.endIndex {
                rows.append((next, nil))
                next += 1
            }
        }
        return (rows, next)
    }

    /// Byte-wise order of two texts, as SQLite's BINARY collation: negative, zero or positive.
    private static func compare(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: [UInt8]) -> Int {
        let common = min(lhs.count, rhs.count)
        let order = rhs.withUnsafeBufferPointer { right in
            common == 0 ? 0 : Int(memcmp(lhs.baseAddress!, right.baseAddress!, common))
        }
        return order != 0 ? order : lhs.count - rhs.count
    }

    /// Calls `body` with connection `id`'s row of ``runnableColumns`` (nil when there is none).
    private func withConnectionRow<T>(id: UUID, _ body: (Statement) throws -> T) throws -> T? {
        // Looked up by a literal key: a revalidation reads a row per run, and hashing the SQL text cost more than
        // the read.
        let statement = try statement("connection with sealed and version by id", variant: 0) {
            Self.runnableColumns + " WHERE id = ?"
        }
        defer { statement.finish() }
        try statement.bind(id, at: 1)
        guard try statement.step() else { return nil }
        return try body(statement)
    }

    /// Writes the plain columns that differ between `old` and `new` (the same connection), and `sealed` when given;
    /// every write adds one to the row's version. With `version`, writes only if the row is still at that version
    /// and returns whether it was (else the row is left as it is); without, returns true.
    ///
    /// Naming only the changed columns keeps SQLite from rewriting the entries of indexes whose columns did not
    /// change (status, type, uid, expiry): a revalidation that confirms a connection touches none of them.
    @discardableResult
    func updateConnection(from old: Connection, to new: Connection, sealed: [UInt8]?, ifVersion version: Int64? = nil)
        throws -> Bool
    {
        var changed = 0  // bit n set: column `updatableColumns[n]` is written
        var values: [DatabaseValue] = []
        values.reserveCapacity(4)
        func set(_ column: Int, _ value: @autoclosure () -> DatabaseValue, if isChanged: Bool) {
            guard isChanged else { return }
            changed |= 1 << column
            values.append(value())
        }
        set(0, .text(new.typeName), if: new.typeName != old.typeName)
        set(1, .text(new.name), if: new.name != old.name)
        set(2, .text(new.status.rawValue), if: new.status != old.status)
        set(3, new.metadata?.type.rawValue.databaseValue ?? .null, if: new.metadata?.type != old.metadata?.type)
        set(4, new.metadata?.value.databaseValue ?? .null, if: new.metadata?.value != old.metadata?.value)
        set(5, new.uid.databaseValue, if: new.uid != old.uid)
        set(6, .integer(Int64(new.specVersion)), if: new.specVersion != old.specVersion)
        let verifiedAt = new.verifiedAt?.storedMilliseconds
        set(7, verifiedAt.databaseValue, if: verifiedAt != old.verifiedAt?.storedMilliseconds)
        let expiresAt = new.expiresAt?.storedMilliseconds
        set(8, expiresAt.databaseValue, if: expiresAt != old.expiresAt?.storedMilliseconds)
        let updatedAt = new.updatedAt.storedMilliseconds
        set(9, .integer(updatedAt), if: updatedAt != old.updatedAt.storedMilliseconds)
        set(10, new.lastOutcome?.rawValue.databaseValue ?? .null, if: new.lastOutcome != old.lastOutcome)
        set(11, new.lastError.databaseValue, if: new.lastError != old.lastError)
        if let sealed { set(12, .blob(sealed), if: true) }
        guard changed != 0 || version != nil else { return true }
        let checksVersion = version != nil
        // One statement per set of changed columns (and version check), prepared once: a confirming run always
        // changes the same few.
        let variant = changed | (checksVersion ? 1 << Self.updatableColumns.count : 0)
        let statement = try statement("UPDATE connections SET … WHERE id = ?", variant: variant) {
            let assignments = Self.updatableColumns.indices.filter { changed & (1 << $0) != 0 }
                .map { Self.updatableColumns[$0] + " = ?" }
            return "UPDATE connections SET " + (assignments + ["version = version + 1"]).joined(separator: ", ")
                + " WHERE id = ?" + (checksVersion ? " AND version = ?" : "")
        }
        defer { statement.finish() }
        for (offset, value) in values.enumerated() { try statement.bind(value, at: Int32(offset + 1)) }
        try statement.bind(new.id, at: Int32(values.count + 1))
        if let version { try statement.bind(.integer(version), at: Int32(values.count + 2)) }
        while try statement.step() {}
        return !checksVersion || changes == 1
    }

    /// The columns ``updateConnection(from:to:sealed:ifVersion:)`` may write, by bit number.
    private static let updatableColumns = [
        "type_name", "name", "status", "metadata_type", "metadata_value", "uid", "spec_version", "verified_at",
        "expires_at", "updated_at", "last_outcome", "last_error", "sealed",
    ]

    // MARK: Listing a page at a time (Vault+Listing.swift)

    /// Up to `limit` connections matching `filter` whose id sorts after `afterID`, ordered by id, and (when the page
    /// is full) the last one's id as stored, after which the next page starts.
    ///
    /// With `useFilterIndexes` SQLite may answer from the type or status index and sort the matches: cheapest when few
    /// connections match, but every further page would sort all of them again. Without it the filters are written
    /// `+column = ?`, which keeps SQLite on the id index: each page goes on where the last one stopped, so a whole
    /// listing reads every row once whatever the filters (a pass over the table at worst).
    func connectionPage(
        _ filter: ConnectionFilter, after afterID: String, limit: Int, useFilterIndexes: Bool
    ) throws -> (connections: [Connection], lastID: String?) {
        let column = useFilterIndexes ? "" : "+"
        var sql = Self.connectionColumns + " WHERE id > ?"
        var values: [any DatabaseValueConvertible] = [afterID]
        if let type = filter.typeName {
            sql += " AND \(column)type_name = ?"
            values.append(type)
        }
        if let status = filter.status {
            sql += " AND \(column)status = ?"
            values.append(status.rawValue)
        }
        if let uid = filter.uid {
            sql += " AND \(column)uid = ?"
            values.append(uid)
        }
        values.append(limit)
        var page: [Connection] = []
        page.reserveCapacity(min(limit, 1024))
        let statement = try statement(sql + " ORDER BY id LIMIT ?")
        try statement.bind(values)
        defer { statement.finish() }
        var lastID: String?
        while try statement.step() {
            page.append(try connection(statement))
            if page.count == limit { lastID = statement.text(0) }  // a full page: the next one starts after it
        }
        return (page, lastID)
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

    func updateSealedSecrets(id: String, sealed: [UInt8]) throws {
        try run("UPDATE connections SET sealed = ?, version = version + 1 WHERE id = ?", sealed, id)
    }

    /// Every connection's sealed secrets, for rotation and checks.
    func allSealedSecrets() throws -> [(id: String, sealed: [UInt8])] {
        try query("SELECT id, sealed FROM connections ORDER BY id") { ($0.text(0), $0.blob(1)) }
    }

    func deleteConnection(id: UUID) throws -> Bool {
        try run("DELETE FROM connections WHERE id = ?", id.storedText) > 0
    }

    func insertHistory(_ entry: HistoryEntry, connectionID: UUID) throws {
        let statement = try statement(
            """
            INSERT INTO history (connection_id, at, spec_version, outcome, http_status, duration_ms, error)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """ as StaticString)
        defer { statement.finish() }
        try statement.bind(connectionID, at: 1)
        try statement.bind(.integer(entry.at.storedMilliseconds), at: 2)
        try statement.bind(.integer(Int64(entry.specVersion)), at: 3)
        try statement.bind(.text(entry.outcome.rawValue), at: 4)
        try statement.bind(entry.httpStatus.databaseValue, at: 5)
        try statement.bind(.integer(Int64(entry.durationMs)), at: 6)
        try statement.bind(entry.error.databaseValue, at: 7)
        while try statement.step() {}
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
    /// Parses the stored `8-4-4-4-12` hex text (digits of either case); nil for any other text.
    init?(storedText text: String) {
        var text = text
        guard let id = text.withUTF8({ UUID(storedText: $0) }) else { return nil }
        self = id
    }

    /// Parses the stored `8-4-4-4-12` hex text (digits of either case) by hand, eight digits at a time; nil for any
    /// other bytes. Rows are read straight from SQLite's buffer (a 36-byte string is a heap allocation).
    /// Foundation's `UUID(uuidString:)` runs `sscanf`, a quarter of reading a row in `list`, and accepts more than
    /// hex (`sscanf` skips spaces and reads signs); a digit at a time cost 625 instructions an id.
    init?(storedText utf8: UnsafeBufferPointer<UInt8>) {
        guard utf8.count == 36 else { return nil }
        let raw = UnsafeRawBufferPointer(utf8)
        guard raw[8] == 0x2D, raw[13] == 0x2D, raw[18] == 0x2D, raw[23] == 0x2D else { return nil }  // "-"
        func load8(_ offset: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        func load4(_ offset: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        guard let first = Self.hexValue(load8(0)), let second = Self.hexValue(load4(9) | load4(14) << 32),
            let third = Self.hexValue(load4(19) | load4(24) << 32), let fourth = Self.hexValue(load8(28))
        else { return nil }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { out in
            out.storeBytes(of: first.littleEndian, as: UInt32.self)
            out.storeBytes(of: second.littleEndian, toByteOffset: 4, as: UInt32.self)
            out.storeBytes(of: third.littleEndian, toByteOffset: 8, as: UInt32.self)
            out.storeBytes(of: fourth.littleEndian, toByteOffset: 12, as: UInt32.self)
        }
        self.init(uuid: uuid)
    }

    /// The four bytes spelt by eight hex digits (either case) in a word whose little-endian bytes are the digits in
    /// text order, as a word whose little-endian bytes are the bytes in order; nil when a byte is not a hex digit.
    @inline(__always)
    private static func hexValue(_ word: UInt64) -> UInt32? {
        let ones: UInt64 = 0x0101_0101_0101_0101, highBits: UInt64 = 0x8080_8080_8080_8080
        guard word & highBits == 0 else { return nil }  // ASCII only: the sums below then never carry across bytes
        // The high bit of each byte of `x &+ (0x80 - lower) * ones` is set where the byte is at least `lower`.
        func atLeast(_ x: UInt64, _ lower: UInt64) -> UInt64 { (x &+ (0x80 &- lower) &* ones) & highBits }
        func atMost(_ x: UInt64, _ upper: UInt64) -> UInt64 { ~(x &+ (0x7F &- upper) &* ones) & highBits }
        let folded = word | 0x2020_2020_2020_2020  // "A"…"F" become "a"…"f"; digits keep their value
        let digits = atLeast(word, 0x30) & atMost(word, 0x39)  // on the unfolded bytes: 0x10…0x19 are no digits
        let letters = atLeast(folded, 0x61) & atMost(folded, 0x66)
        guard digits | letters == highBits else { return nil }
        let nibbles = (folded & 0x0F0F_0F0F_0F0F_0F0F) &+ (letters >> 7) &* 9  // "a" & 0x0F is 1: plus 9 makes 10
        var pairs = (nibbles << 4 | nibbles >> 8) & 0x00FF_00FF_00FF_00FF  // byte 2k: digit 2k high, digit 2k+1 low
        pairs = (pairs | pairs >> 8) & 0x0000_FFFF_0000_FFFF
        pairs = (pairs | pairs >> 16) & 0x0000_0000_FFFF_FFFF
        return UInt32(truncatingIfNeeded: pairs)
    }

    /// Whether this id sorts before `other` in the `id` column: the stored text is the bytes in hex, so it sorts as
    /// the bytes do.
    func sortsBefore(_ other: UUID) -> Bool {
        withUnsafeBytes(of: uuid) { left in
            withUnsafeBytes(of: other.uuid) { right in memcmp(left.baseAddress!, right.baseAddress!, 16) < 0 }
        }
    }

    /// The canonical lower-case text stored in the `id` column.
    var storedText: String {
        withStoredText { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the 36 ASCII bytes of ``storedText``, formatted on the stack (the hot path needs no string).
    /// The one formatter of an id's text: the CLI's tables and JSON use it too.
    package func withStoredText<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { out in
            writeStoredText(to: out.baseAddress!)
            return try body(UnsafeBufferPointer(out))
        }
    }

    /// Writes the 36 ASCII bytes of ``storedText`` to `out`: four bytes of the id at a time become eight hex digits
    /// in one word, then land around the dashes (8-4-4-4-12).
    func writeStoredText(to out: UnsafeMutablePointer<UInt8>) {
        withUnsafeBytes(of: uuid) { bytes in
            let raw = UnsafeMutableRawPointer(out)
            func digits(at offset: Int) -> UInt64 { Self.hexDigits(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
            let first = digits(at: 0), second = digits(at: 4), third = digits(at: 8), fourth = digits(at: 12)
            raw.storeBytes(of: first.littleEndian, as: UInt64.self)
            raw.storeBytes(of: UInt32(truncatingIfNeeded: second).littleEndian, toByteOffset: 9, as: UInt32.self)
            raw.storeBytes(of: UInt32(truncatingIfNeeded: second >> 32).littleEndian, toByteOffset: 14, as: UInt32.self)
            raw.storeBytes(of: UInt32(truncatingIfNeeded: third).littleEndian, toByteOffset: 19, as: UInt32.self)
            raw.storeBytes(of: UInt32(truncatingIfNeeded: third >> 32).littleEndian, toByteOffset: 24, as: UInt32.self)
            raw.storeBytes(of: fourth.littleEndian, toByteOffset: 28, as: UInt64.self)
            (out[8], out[13], out[18], out[23]) = (0x2D, 0x2D, 0x2D, 0x2D)  // "-"
        }
    }

    /// The lower-case hex digits of four bytes (as loaded from memory, little-endian), as eight ASCII bytes in a
    /// word whose little-endian bytes are the digits in memory order.
    @inline(__always)
    private static func hexDigits(_ word: UInt32) -> UInt64 {
        let word = UInt32(littleEndian: word)  // byte k of the id in bits 8k..<8k+8
        var spread = UInt64(word)
        spread = (spread | spread << 16) & 0x0000_FFFF_0000_FFFF
        spread = (spread | spread << 8) & 0x00FF_00FF_00FF_00FF  // byte k of the id in byte 2k
        let nibbles: UInt64 = 0x000F_000F_000F_000F
        let digits = (spread >> 4) & nibbles | (spread & nibbles) << 8  // high nibble first, then low
        let letters = ((digits &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101  // 1 where 10...15
        return digits &+ 0x3030_3030_3030_3030 &+ letters &* 39  // '0' + n, or 'a' + n - 10
    }
}
