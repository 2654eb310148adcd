internal import CSQLite

/// Direct SQLite access to a vault file for tests that inspect or tamper with it behind the vault's back.
public final class RawDatabase {
    private let handle: OpaquePointer

    public init(path: String) {
        var handle: OpaquePointer?
        precondition(sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, "cannot open \(path)")
        self.handle = handle!
        sqlite3_busy_timeout(self.handle, 10_000)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs SQL, binding `values` (String, Int, [UInt8] or nil), and returns every row as text/blob cells.
    @discardableResult
    public func query(_ sql: String, _ values: [(any Sendable)?] = []) -> [[Cell]] {
        do { return try attempt(sql, values) } catch { preconditionFailure(error.message) }
    }

    /// SQLite's message for a failed statement.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let code: Int32
        public let message: String
        public var description: String { "SQLite error \(code): \(message)" }
    }

    /// Like ``query(_:_:)``, but a failing statement (a damaged file, a busy lock) throws instead of stopping.
    @discardableResult
    public func attempt(_ sql: String, _ values: [(any Sendable)?] = []) throws(Failure) -> [[Cell]] {
        var statement: OpaquePointer?
        let prepared = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard prepared == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw Failure(code: prepared, message: String(cString: sqlite3_errmsg(handle)))
        }
        defer { sqlite3_finalize(statement) }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case let text as String: sqlite3_bind_text(statement, index, text, -1, cv_sqlite_transient())
            case let integer as Int: sqlite3_bind_int64(statement, index, Int64(integer))
            case let bytes as [UInt8]:
                _ = bytes.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), cv_sqlite_transient()) }
            default: sqlite3_bind_null(statement, index)
            }
        }
        var rows: [[Cell]] = []
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw Failure(code: code, message: String(cString: sqlite3_errmsg(handle))) }
            rows.append((0..<sqlite3_column_count(statement)).map { column in
                switch sqlite3_column_type(statement, column) {
                case SQLITE_NULL: return .null
                case SQLITE_INTEGER: return .integer(Int(sqlite3_column_int64(statement, column)))
                case SQLITE_BLOB:
                    let count = Int(sqlite3_column_bytes(statement, column))
                    guard count > 0 else { return .blob([]) }
                    return .blob(Array(UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, column), count: count)))
                default: return .text(String(cString: sqlite3_column_text(statement, column)))
                }
            })
        }
        return rows
    }

    /// One cell of a query result.
    public enum Cell: Hashable, Sendable {
        case null
        case integer(Int)
        case text(String)
        case blob([UInt8])

        public var blob: [UInt8]? { if case .blob(let bytes) = self { bytes } else { nil } }
        public var text: String? { if case .text(let text) = self { text } else { nil } }
        public var integer: Int? { if case .integer(let integer) = self { integer } else { nil } }
    }

    /// Every table's content as text, for "nothing changed" comparisons.
    public func logicalDump() -> String {
        let tables = query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").compactMap { $0[0].text }
        return tables.map { table in
            "\(table): " + query("SELECT * FROM \"\(table)\" ORDER BY 1").map { "\($0)" }.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
