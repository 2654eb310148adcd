/// Word wrapping and spelling distance for help and error texts.
enum TextLayout {
    /// Wraps `text` at spaces so lines fit in `width` columns, then indents each non-empty line.
    ///
    /// Follows swift-argument-parser's wrapping: existing line breaks are kept, each line is indented
    /// by `indent` and holds at most `width - indent` characters, a line that continues leaves room for
    /// the space it breaks at, and a word longer than a line stands on a line of its own.
    static func wrap(_ text: String, width: Int, indent: Int = 0) -> String {
        let columns = max(width - indent, 1)
        let padding = String(repeating: " ", count: indent)
        let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false)
        var lines: [Substring] = []
        for (number, paragraph) in paragraphs.enumerated() {
            let isLast = number == paragraphs.count - 1
            var rest = paragraph
            // A line followed by a break must fit with that break; the text's last line may fill the width.
            while rest.count > (isLast ? columns : columns - 1) {
                if let space = rest.prefix(columns).lastIndex(of: " ") ?? rest.firstIndex(of: " ") {
                    lines.append(rest[..<space])
                    rest = rest[rest.index(after: space)...]
                } else {
                    break
                }
            }
            lines.append(rest)
        }
        return lines.map { $0.isEmpty ? "" : padding + $0 }.joined(separator: "\n")
    }

    /// The number of single-character insertions, deletions and substitutions turning `a` into `b`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The candidate closest to `word` within `maximumDistance` edits; the earliest one on a tie.
    static func nearest(to word: String, in candidates: [String], maximumDistance: Int) -> String? {
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(word, candidate)
            if distance <= maximumDistance && distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }
}
