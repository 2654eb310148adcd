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
        if let full { Self.writeAll(full) }
    }

    func flush() {
        let rest = buffer.withLock { buffer in
            defer { buffer.removeAll() }
            return buffer
        }
        if !rest.isEmpty { Self.writeAll(rest) }
    }

    /// `write(2)` until every byte is out, retrying when a signal interrupts it. A reader that went away
    /// (`connvault list | head`) ends the process quietly, as it would for any Unix filter.
    private static func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written >= 0 {
                    offset += written
                } else if errno != EINTR {
                    exit(errno == EPIPE ? 0 : 1)
                }
            }
        }
    }
}

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
