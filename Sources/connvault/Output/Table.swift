import Foundation

/// A plain-text table for people: a header row and left-aligned columns separated by two spaces.
struct Table {
    let headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func add(_ cells: String...) {
        rows.append(cells)
    }

    /// The table's text, one line per row, the last column not padded.
    var text: String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
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
