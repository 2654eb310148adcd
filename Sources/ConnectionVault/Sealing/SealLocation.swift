import Foundation

/// Where a sealed value lives: the table, row and field it is bound to through the additional data.
///
/// A ciphertext only opens at the location it was sealed for, so a value copied to another row or field is
/// rejected. Locations name rows by id or type name, never by content, so they are safe to show in errors.
public struct SealLocation: Sendable, Hashable, CustomStringConvertible {
    /// A row's key as given: text, or a connection id kept as its 16 bytes until its text is needed.
    private enum Row: Sendable {
        case text(String)
        case id(UUID)
    }

    /// The table holding the value, e.g. `connections`.
    public let table: String
    private let row: Row
    /// The column or logical field, e.g. `sealed`.
    public let field: String

    public init(table: String, rowID: String, field: String) {
        self.table = table
        self.row = .text(rowID)
        self.field = field
    }

    /// The location of a connection's value: the row is named by the id's stored text, formatted only when the
    /// additional data is written (the runner's hot path then builds no string).
    init(table: String, id: UUID, field: String) {
        self.table = table
        self.row = .id(id)
        self.field = field
    }

    /// The row's key: a connection id, a type name, a key version.
    public var rowID: String {
        switch row {
        case .text(let text): text
        case .id(let id): id.storedText
        }
    }

    /// Calls `body` with the UTF-8 bytes of ``rowID``.
    func withRowIDBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        switch row {
        case .text(var text): try text.withUTF8(body)
        case .id(let id): try id.withStoredText(body)
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
