/// A table written row by row with column widths fixed up front (a ``Table`` needs every row to size them).
///
/// Cells are left-aligned and separated by two spaces, the last column is not padded; a cell wider than its
/// column pushes the rest of its row right (``Table/appendCell(_:width:column:widths:to:)``).
struct StreamingTable {
    let header: [String]
    let widths: [Int]

    /// A table of these columns; each is at least as wide as its header.
    init(_ columns: [(header: String, width: Int)]) {
        header = columns.map(\.header)
        widths = columns.map { max($0.width, $0.header.count) }
    }

    /// Appends one line of the table, with its newline, to `bytes` (an output buffer: no line of its own is made),
    /// laid out as ``Table`` lays out its lines.
    func append(_ cells: [String], to bytes: inout [UInt8]) {
        precondition(cells.count == widths.count, "a line has one cell per column")
        bytes.reserveCapacity(bytes.count + widths.reduce(2 * widths.count, +) + (cells.last?.utf8.count ?? 0) + 1)
        for (column, cell) in cells.enumerated() {
            // Through the cell's contiguous bytes: `revalidate` writes a row per connection, and walking each cell's
            // UTF-8 view byte by byte (its width, then its copy) cost a third of the row.
            var cell = cell
            cell.withUTF8 { utf8 in
                let width = column < widths.count - 1 ? Table.width(of: utf8) : 0
                Table.appendCell(utf8, width: width, column: column, widths: widths, to: &bytes)
            }
        }
        bytes.append(UInt8(ascii: "\n"))
    }
}
