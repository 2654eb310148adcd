/// Splits a template string into literal text and `{{ … }}` tags (iml.md §2.2).
enum TagScanner {
    /// A piece of a template, as positions in its Unicode scalars.
    enum Piece: Equatable {
        /// Literal text in `start..<end`.
        case text(Range<Int>)
        /// A tag whose `{{` starts at `open` and whose expression is `expression` (the `}}` follows it).
        case tag(open: Int, expression: Range<Int>)
    }

    /// The pieces of `scalars` in order. An unterminated tag (no `}}`, or a quote never closed) is literal text.
    static func scan(_ scalars: [Unicode.Scalar]) -> [Piece] {
        var pieces: [Piece] = []
        var textStart = 0
        var index = 0
        let count = scalars.count
        while index + 1 < count {
            guard scalars[index] == "{" && scalars[index + 1] == "{" else {
                index += 1
                continue
            }
            guard let close = findClose(scalars, from: index + 2) else { break }
            if textStart < index { pieces.append(.text(textStart..<index)) }
            pieces.append(.tag(open: index, expression: (index + 2)..<close))
            index = close + 2
            textStart = index
        }
        if textStart < count { pieces.append(.text(textStart..<count)) }
        return pieces
    }

    /// The position of the `}}` that ends a tag whose expression starts at `start`, skipping quoted parts.
    private static func findClose(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start
        let count = scalars.count
        while index < count {
            let scalar = scalars[index]
            switch scalar {
            case "'", "\"", "`":
                index += 1
                var closed = false
                while index < count {
                    if scalars[index] == scalar {
                        closed = true
                        break
                    }
                    if scalar != "`" && scalars[index] == "\\" { index += 1 }
                    index += 1
                }
                guard closed else { return nil }
                index += 1
            case "}" where index + 1 < count && scalars[index + 1] == "}":
                return index
            default:
                index += 1
            }
        }
        return nil
    }
}
