internal import CSQLite
import Foundation

/// One prepared SQLite statement. Owned by its ``Database``; not thread-safe, never shared.
final class Statement {
    private let handle: OpaquePointer
    private unowned let database: Database
    /// The text of UUIDs bound to this statement, 36 bytes per parameter, made on the first such bind. SQLite reads
    /// bound text in place (`SQLITE_STATIC`) instead of copying it for every use: the buffer lives as long as the
    /// statement and a parameter's bytes change only when it is bound again.
    private var uuidTexts: UnsafeMutablePointer<UInt8>?

    init(database: Database, sql: String) throws(DatabaseError) {
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard code == SQLITE_OK, let handle else {
            let error = database.error(code, operation: "prepare")
            sqlite3_finalize(handle)
            throw error
        }
        self.handle = handle
        self.database = database
    }

    deinit {
        sqlite3_finalize(handle)
        uuidTexts?.deallocate()
    }

    /// Binds `values` to the statement's parameters in order (every parameter is bound on every use).
    func bind(_ values: [any DatabaseValueConvertible]) throws(DatabaseError) {
        for (offset, value) in values.enumerated() {
            try bind(value.databaseValue, at: Int32(offset + 1))
        }
    }

    /// Binds one value to parameter `index`.
    func bind(_ value: DatabaseValue, at index: Int32) throws(DatabaseError) {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let integer): code = sqlite3_bind_int64(handle, index, integer)
        case .real(let real): code = sqlite3_bind_double(handle, index, real)
        case .text(let text): code = sqlite3_bind_text(handle, index, text, -1, cv_sqlite_transient())
        case .blob(let bytes):
            code = bytes.withUnsafeBytes {
                sqlite3_bind_blob(handle, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count),
                                  cv_sqlite_transient())
            }
        }
        guard code == SQLITE_OK else { throw database.error(code, operation: "bind") }
    }

    /// Advances to the next row: true when a row is available, false when done.
    func step() throws(DatabaseError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let error = database.error(code, operation: "step")
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Binds a UUID's canonical lower-case text to parameter `index` without building a Swift string or making
    /// SQLite copy it: the text is written into the statement's own buffer for that parameter.
    func bind(_ id: UUID, at index: Int32) throws(DatabaseError) {
        let count = Int(sqlite3_bind_parameter_count(handle))
        precondition(index >= 1 && index <= count, "parameter \(index) is not one of the statement's \(count)")
        // A running statement may still read the bytes bound before: they change only once it is reset.
        precondition(sqlite3_stmt_busy(handle) == 0, "a statement is bound again only after it was reset")
        let texts = uuidTexts ?? {
            let texts = UnsafeMutablePointer<UInt8>.allocate(capacity: 36 * count)
            uuidTexts = texts
            return texts
        }()
        let text = texts + 36 * Int(index - 1)
        id.writeStoredText(to: text)
        let code = text.withMemoryRebound(to: CChar.self, capacity: 36) {
            sqlite3_bind_text(handle, index, $0, 36, nil)  // nil destructor: SQLITE_STATIC
        }
        guard code == SQLITE_OK else { throw database.error(code, operation: "bind") }
    }

    /// Ends the statement's use: resets it, which also releases its read snapshot.
    func finish() {
        sqlite3_reset(handle)
    }

    /// Calls `body` with the bytes of a BLOB column of the current row, without copying them.
    func withBlob<R>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeRawBufferPointer(start: count > 0 ? sqlite3_column_blob(handle, column) : nil, count: count))
    }

    // MARK: Columns of the current row

    /// Calls `body` with the bytes of a TEXT column of the current row, without copying them or making a string.
    func withTextBytes<R>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let pointer = sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func text(_ column: Int32) -> String {
        withTextBytes(column) { String(decoding: $0, as: UTF8.self) }
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    func optionalBlob(_ column: Int32) -> [UInt8]? { isNull(column) ? nil : blob(column) }
}

/// A statement belongs to its ``Database`` and shares its thread confinement.
@available(*, unavailable)
extension Statement: Sendable {}
