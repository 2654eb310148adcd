/// Where a sealed value lives: the table, row and field it is bound to through the additional data.
///
/// A ciphertext only opens at the location it was sealed for, so a value copied to another row or field is
/// rejected. Locations name rows by id or type name, never by content, so they are safe to show in errors.
public struct SealLocation: Sendable, Hashable, CustomStringConvertible {
    /// The table holding the value, e.g. `connections`.
    public let table: String
    /// The row's key: a connection id, a type name, a key version.
    public let rowID: String
    /// The column or logical field, e.g. `sealed`.
    public let field: String

    public init(table: String, rowID: String, field: String) {
        self.table = table
        self.rowID = rowID
        self.field = field
    }

    public var description: String { "\(table) row '\(rowID)' field '\(field)'" }
}
