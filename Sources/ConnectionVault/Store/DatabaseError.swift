/// A failed SQLite call: what the vault was doing, SQLite's result code and its message.
///
/// Never carries bound values; SQLite's own messages name tables and columns, not row content.
public struct DatabaseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The extended SQLite result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_UNIQUE`…).
    public let code: Int32
    /// SQLite's message for the failure.
    public let message: String
    /// What the vault was doing, e.g. `open`, `prepare`, `step`.
    public let operation: String

    public var description: String { "SQLite error \(code) during \(operation): \(message)" }

    /// The primary result code (the low byte of ``code``).
    public var primaryCode: Int32 { code & 0xff }
}
