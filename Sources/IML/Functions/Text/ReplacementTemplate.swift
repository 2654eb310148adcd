/// A replacement text with `$&`, `$1`…`$99` and `$$` (JavaScript `String.prototype.replace`).
struct ReplacementTemplate {
    enum Part {
        case text(String)
        case match
        /// A group number, or a one-digit group followed by a digit when the two-digit group does not exist.
        case group(Int, fallback: (Int, String)?)
    }

    let parts: [Part]

    init(_ replacement: String) {
        var parts: [Part] = []
        var literal = String.UnicodeScalarView()
        let scalars = Array(replacement.unicodeScalars)
        var index = 0
        func flush() {
            if !literal.isEmpty {
                parts.append(.text(String(literal)))
                literal = String.UnicodeScalarView()
            }
        }
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "$", index + 1 < scalars.count else {
                literal.append(scalar)
                index += 1
                continue
            }
            let next = scalars[index + 1]
            if next == "$" {
                literal.append("$")
                index += 2
            } else if next == "&" {
                flush()
                parts.append(.match)
                index += 2
            } else if let first = next.properties.numericType == .decimal && next.isASCII ? Int(next.value - 48) : nil {
                let secondScalar = index + 2 < scalars.count ? scalars[index + 2] : nil
                if let second = secondScalar, second.isASCII, Lexer.isDigit(second) {
                    let two = first * 10 + Int(second.value - 48)
                    flush()
                    parts.append(.group(two, fallback: first > 0 ? (first, String(second)) : nil))
                    index += 3
                } else if first > 0 {
                    flush()
                    parts.append(.group(first, fallback: nil))
                    index += 2
                } else {
                    literal.append("$")
                    index += 1
                }
            } else {
                literal.append("$")
                index += 1
            }
        }
        flush()
        self.parts = parts
    }

    /// The replacement for one match; `groups[i]` is group `i + 1` (`nil` when it did not participate).
    func expand(match: String, groups: [String?]) -> String {
        var result = ""
        for part in parts {
            switch part {
            case .text(let text): result += text
            case .match: result += match
            case .group(let number, let fallback):
                if number >= 1 && number <= groups.count {
                    result += groups[number - 1] ?? ""
                } else if let (single, digit) = fallback {
                    if single <= groups.count { result += groups[single - 1] ?? "" }
                    result += digit
                } else if number == 0 {
                    result += "$00"
                }
            }
        }
        return result
    }
}
