import Foundation

/// Where a sealed value lives: the table, row and field it is bound to through the additional data.
///
/// A ciphertext only opens at the location it was sealed for, so a value copied to another row or field is
/// rejected. Locations name rows by id or type name, never by content, so they are safe to show in errors.
///
/// Table and field names are part of the schema, so they are static text: a location of a connection's value holds
/// nothing to retain, and copying it (as opening does, several times) costs a few moves.
public struct SealLocation: Sendable, Hashable, CustomStringConvertible {
    /// A row's key as given: text, or a connection id kept as its 16 bytes until its text is needed.
    private enum Row: Sendable {
        case text(String)
        case id(UUID)
    }

    private let tableName: StaticString
    private let row: Row
    private let fieldName: StaticString

    public init(table: StaticString, rowID: String, field: StaticString) {
        self.tableName = table
        self.row = .text(rowID)
        self.fieldName = field
    }

    /// The location of a connection's value: the row is named by the id's stored text, formatted only when the
    /// additional data is written (the runner's hot path then builds no string).
    init(table: StaticString, id: UUID, field: StaticString) {
        self.tableName = table
        self.row = .id(id)
        self.fieldName = field
    }

    /// The table holding the value, e.g. `connections`.
    public var table: String { tableName.description }

    /// The column or logical field, e.g. `sealed`.
    public var field: String { fieldName.description }

    /// Calls `body` with the UTF-8 bytes of ``table``, ``rowID`` and ``field``.
    func withBytes<R>(
        _ body: (_ table: UnsafeBufferPointer<UInt8>, _ rowID: UnsafeBufferPointer<UInt8>, _ field: UnsafeBufferPointer<UInt8>)
            throws -> R
    ) rethrows -> R {
        guard tableName.hasPointerRepresentation, fieldName.hasPointerRepresentation else {
            var (table, field) = (self.table, self.field)  // a one-scalar name is held as the scalar itself
            return try table.withUTF8 { table in try field.withUTF8 { try withRowIDBytes(table, $0, body) } }
        }
        let table = UnsafeBufferPointer(start: tableName.utf8Start, count: tableName.utf8CodeUnitCount)
        let field = UnsafeBufferPointer(start: fieldName.utf8Start, count: fieldName.utf8CodeUnitCount)
        return try withRowIDBytes(table, field, body)
    }

    private func withRowIDBytes<R>(
        _ table: UnsafeBufferPointer<UInt8>, _ field: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> R
    ) rethrows -> R {
        switch row {
        case .text(var text): try text.withUTF8 { try body(table, $0, field) }
        case .id(let id): try id.withStoredText { try body(table, $0, field) }
        }
    }

    /// The row's key: a connection id, a type name, a key version.
    public var rowID: String {
        switch row {
        case .text(let text): text
        case .id(let id): id.storedText
        }
    }

    public static func == (lhs: SealLocation, rhs: SealLocation) -> Bool {
        lhs.table == rhs.table && lhs.field == rhs.field && lhs.rowID == rhs.rowID
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(table)
        hasher.combine(rowID)
        hasher.combine(field)
    }

    public var description: String { "\(table) row '\(rowID)' field '\(field)'" }
}
