import Foundation
import Synchronization

/// Standard output written in 64 KiB chunks: a long listing is not one `write` call per line, and is not held
/// whole in memory either. Call ``flush()`` before exiting.
final class BufferedOutput: Sendable {
    private static let chunk = 64 * 1024
    private let buffer = Mutex<[UInt8]>([])

    func write(_ text: String) {
        let full: [UInt8]? = buffer.withLock { buffer in
            buffer.append(contentsOf: text.utf8)
            guard buffer.count >= Self.chunk else { return nil }
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        if let full { FileHandle.standardOutput.write(Data(full)) }
    }

    func flush() {
        let rest = buffer.withLock { buffer in
            defer { buffer.removeAll() }
            return buffer
        }
        if !rest.isEmpty { FileHandle.standardOutput.write(Data(rest)) }
    }
}

/// A table written row by row with column widths fixed up front (a ``Table`` needs every row to size them).
///
/// Cells are left-aligned and separated by two spaces, the last column is not padded; a cell wider than its
/// column pushes the rest of its row right.
struct StreamingTable {
    let widths: [Int]

    /// The header line; `widths` are at least the headers' widths.
    init(_ columns: [(header: String, width: Int)]) {
        widths = columns.map { max($0.width, $0.header.count) }
        header = columns.map(\.header)
    }

    let header: [String]

    /// One line of the table, with its newline.
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { column, cell in
            column == cells.count - 1 ? cell : cell.padding(toLength: max(widths[column], cell.count), withPad: " ", startingAt: 0)
        }.joined(separator: "  ") + "\n"
    }
}
