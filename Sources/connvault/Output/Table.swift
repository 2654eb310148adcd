import Foundation

/// A plain-text table for people: a header row and left-aligned columns separated by two spaces.
///
/// Every row's width must be known before the first line is printed, so rows are kept — packed, as every cell's UTF-8
/// back to back plus where each ends (about 70 bytes a row in `list`, against ~200 for arrays of strings): reading
/// the rows twice would double the database work, and rows changed between the passes would break the alignment.
/// Widths count characters (grapheme clusters); a cell is padded to its column's width and never cut.
struct Table {
    let headers: [String]
    private var packed: [UInt8] = []
    /// Where each cell of each row ends in `packed`, `headers.count` per row.
    private var cellEnds: [UInt32] = []
    /// Each column's width: the widest cell, header included.
    private var widths: [Int]

    init(_ headers: String...) {
        self.headers = headers
        widths = headers.map(\.count)
    }

    mutating func add(_ cells: String...) {
        add(cells)
    }

    mutating func add(_ cells: [String]) {
        precondition(cells.count == headers.count, "a row has one cell per column")
        for (column, cell) in cells.enumerated() {
            if column < headers.count - 1 { widths[column] = max(widths[column], Self.width(of: cell.utf8)) }
            packed.append(contentsOf: cell.utf8)
            precondition(packed.count <= UInt32.max, "a table of more than 4 GiB")
            cellEnds.append(UInt32(packed.count))
        }
    }

    /// Calls `emit` with each line's UTF-8, newline included: the header, then every row in order. The last column
    /// is not padded.
    func render(_ emit: (inout [UInt8]) throws -> Void) rethrows {
        var line: [UInt8] = []
        func finish(_ line: inout [UInt8]) throws {
            line.append(UInt8(ascii: "\n"))
            try emit(&line)
            line.removeAll(keepingCapacity: true)
        }
        for (column, header) in headers.enumerated() {
            append(Substring(header).utf8, width: header.count, column: column, to: &line)
        }
        try finish(&line)
        var start = 0
        for (index, end) in cellEnds.enumerated() {
            let column = index % headers.count
            let cell = packed[start..<Int(end)]
            let width = column < headers.count - 1 ? Self.width(of: cell) : 0
            append(cell, width: width, column: column, to: &line)
            start = Int(end)
            if column == headers.count - 1 { try finish(&line) }
        }
    }

    private func append(
        _ cell: some Collection<UInt8>, width: Int, column: Int, to line: inout [UInt8]
    ) {
        Self.appendCell(cell, width: width, column: column, widths: widths, to: &line)
    }

    /// Appends one cell of a line: two spaces before every cell but the first, then the cell, then (in every
    /// column but the last) spaces up to the column's width; `width` is the cell's own, in characters. A cell
    /// wider than its column pushes the rest of the line right. ``StreamingTable`` lays out its lines the same way.
    static func appendCell(
        _ cell: some Collection<UInt8>, width: Int, column: Int, widths: [Int], to line: inout [UInt8]
    ) {
        if column > 0 { line.append(contentsOf: "  ".utf8) }
        line.append(contentsOf: cell)
        if column < widths.count - 1 {
            line.append(contentsOf: repeatElement(UInt8(ascii: " "), count: max(widths[column] - width, 0)))
        }
    }

    /// The width of UTF-8 `text` in characters (grapheme clusters), counted as bytes when every byte is printable
    /// ASCII (one character each; a control byte such as the CR of a CR LF pair may join its neighbour).
    static func width(of text: some Collection<UInt8>) -> Int {
        text.allSatisfy { $0 >= 0x20 && $0 < 0x7F } ? text.count : String(decoding: text, as: UTF8.self).count
    }

    /// The table's text, one line per row.
    var text: String {
        var all: [UInt8] = []
        render { all.append(contentsOf: $0) }
        return String(decoding: all, as: UTF8.self)
    }

    /// Writes the table to standard output through `output`.
    func write(to output: inout StandardOutputBuffer) throws {
        try render { try output.write($0) }
    }
}

/// "3 h ago", "just now", "in 2 d": relative times for human tables.
enum RelativeTime {
    static func describe(_ date: Date?, now: Date = Date()) -> String {
        guard let date else { return "never" }
        let seconds = Int(now.timeIntervalSince(date))
        let magnitude = abs(seconds)
        let amount: String
        switch magnitude {
        case ..<60: return "just now"
        case ..<3600: amount = "\(magnitude / 60) min"
        case ..<86_400: amount = "\(magnitude / 3600) h"
        default: amount = "\(magnitude / 86_400) d"
        }
        return seconds >= 0 ? "\(amount) ago" : "in \(amount)"
    }
}
