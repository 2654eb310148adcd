/// A table written row by row with column widths fixed up front (a ``Table`` needs every row to size them).
///
/// Cells are left-aligned and separated by two spaces, the last column is not padded; a cell wider than its
/// column pushes the rest of its row right.
struct StreamingTable {
    let header: [String]
    let widths: [Int]

    /// A table of these columns; each is at least as wide as its header.
    init(_ columns: [(header: String, width: Int)]) {
        header = columns.map(\.header)
        widths = columns.map { max($0.width, $0.header.count) }
    }

    /// One line of the table, with its newline.
    func line(_ cells: [String]) -> String {
        var line = ""
        for (column, cell) in cells.enumerated() {
            line += cell
            guard column < cells.count - 1 else { break }
            line += String(repeating: " ", count: max(widths[column] - cell.count, 0) + 2)
        }
        return line + "\n"
    }
}
