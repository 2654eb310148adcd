/// Reads the tokens of one tag's expression (iml.md §3.1), on demand.
///
/// After a `.` token the next token is read as a member name (or a backtick name), never as a number.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var position: Int
    private let end: Int
    private var afterDot = false

    /// A lexer over `scalars[expression]`; the `}}` is expected at `expression.upperBound`.
    init(scalars: [Unicode.Scalar], expression: Range<Int>) {
        self.scalars = scalars
        self.position = expression.lowerBound
        self.end = expression.upperBound
    }

    /// The next token; `.end` (lexeme `}}`) once the expression is exhausted.
    mutating func next() throws(CompileProblem) -> Token {
        skipWhitespace()
        guard position < end else { return Token(kind: .end, start: end, text: "}}") }
        if afterDot {
            afterDot = false
            return try memberName()
        }
        let start = position
        let scalar = scalars[position]
        switch scalar {
        case "0"..."9":
            return number()
        case "'", "\"":
            return try string()
        case "`":
            return try backtick()
        default:
            if Lexer.isIdentifierStart(scalar) {
                let text = readWhile(Lexer.isIdentifierPart)
                return Token(kind: .identifier(text), start: start, text: text)
            }
            return try symbol()
        }
    }

    // MARK: Pieces

    private mutating func skipWhitespace() {
        while position < end {
            switch scalars[position] {
            case " ", "\t", "\r", "\n": position += 1
            default: return
            }
        }
    }

    private mutating func readWhile(_ predicate: (Unicode.Scalar) -> Bool) -> String {
        var view = String.UnicodeScalarView()
        while position < end && predicate(scalars[position]) {
            view.append(scalars[position])
            position += 1
        }
        return String(view)
    }

    private func text(from start: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<position])
        return String(view)
    }

    private mutating func memberName() throws(CompileProblem) -> Token {
        let start = position
        if scalars[position] == "`" { return try backtick() }
        let name = readWhile(Lexer.isIdentifierPart)
        guard !name.isEmpty else {
            throw CompileProblem(
                .syntax, at: start, token: String(scalars[start]), "expected a member name after '.'")
        }
        return Token(kind: .memberName(name), start: start, text: name)
    }

    private mutating func number() -> Token {
        let start = position
        var isInteger = true
        skipDigits()
        if position + 1 < end && scalars[position] == "." && Lexer.isDigit(scalars[position + 1]) {
            isInteger = false
            position += 1
            skipDigits()
        }
        if position < end && (scalars[position] == "e" || scalars[position] == "E") {
            var look = position + 1
            if look < end && (scalars[look] == "+" || scalars[look] == "-") { look += 1 }
            if look < end && Lexer.isDigit(scalars[look]) {
                isInteger = false
                position = look
                skipDigits()
            }
        }
        let lexeme = text(from: start)
        let value: Number
        if isInteger, let exact = Number(integerText: lexeme) {
            value = exact
        } else {
            var utf8 = Array(lexeme.utf8)
            value = Number(utf8.withUnsafeMutableBufferPointer { DecimalText.double(UnsafeBufferPointer($0)) })
        }
        return Token(kind: .number(value), start: start, text: lexeme)
    }

    private mutating func skipDigits() {
        while position < end && Lexer.isDigit(scalars[position]) { position += 1 }
    }

    private mutating func string() throws(CompileProblem) -> Token {
        let start = position
        let quote = scalars[position]
        position += 1
        var view = String.UnicodeScalarView()
        while position < end {
            let scalar = scalars[position]
            if scalar == quote {
                position += 1
                return Token(kind: .string(String(view)), start: start, text: text(from: start))
            }
            if scalar == "\\" && position + 1 < end {
                position += 1
                appendEscape(to: &view)
                continue
            }
            view.append(scalar)
            position += 1
        }
        throw CompileProblem(.syntax, at: start, token: String(quote), "string not closed before '}}'")
    }

    /// Decodes the escape whose backslash precedes `position`; unknown pairs are kept as written.
    private mutating func appendEscape(to view: inout String.UnicodeScalarView) {
        let code = scalars[position]
        position += 1
        switch code {
        case "\\", "'", "\"": view.append(code)
        case "n": view.append("\n")
        case "r": view.append("\r")
        case "t": view.append("\t")
        case "u":
            guard var value = hex4(at: position) else {
                view.append("\\")
                view.append(code)
                return
            }
            position += 4
            if (0xD800..<0xDC00).contains(value), position + 1 < end, scalars[position] == "\\",
                scalars[position + 1] == "u", let low = hex4(at: position + 2), (0xDC00..<0xE000).contains(low)
            {
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                position += 6
            }
            view.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        default:
            view.append("\\")
            view.append(code)
        }
    }

    private func hex4(at start: Int) -> UInt32? {
        guard start + 4 <= end else { return nil }
        var value: UInt32 = 0
        for index in start..<(start + 4) {
            guard scalars[index].isASCII, let digit = HexDigits.value(of: UInt8(scalars[index].value)) else {
                return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func backtick() throws(CompileProblem) -> Token {
        let start = position
        position += 1
        var view = String.UnicodeScalarView()
        while position < end {
            if scalars[position] == "`" {
                position += 1
                return Token(kind: .backtick(String(view)), start: start, text: text(from: start))
            }
            view.append(scalars[position])
            position += 1
        }
        throw CompileProblem(.syntax, at: start, token: "`", "backtick name not closed before '}}'")
    }

    private mutating func symbol() throws(CompileProblem) -> Token {
        let start = position
        func peek(_ offset: Int) -> Unicode.Scalar? {
            start + offset < end ? scalars[start + offset] : nil
        }
        func make(_ symbol: Token.Symbol) -> Token {
            position = start + symbol.rawValue.unicodeScalars.count
            if symbol == .dot { afterDot = true }
            return Token(kind: .symbol(symbol), start: start, text: symbol.rawValue)
        }
        func unsupported(_ length: Int, _ message: String) -> CompileProblem {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start..<min(end, start + length)])
            return CompileProblem(.unsupported, at: start, token: String(view), message)
        }
        let assignment = "IML has no assignment; '=' alone is equality"
        let scalar = scalars[start]
        switch scalar {
        case "(": return make(.leftParen)
        case ")": return make(.rightParen)
        case "[": return make(.leftBracket)
        case "]": return make(.rightBracket)
        case ".": return make(.dot)
        case ",": return make(.comma)
        case "+", "-", "*", "/", "%":
            if peek(1) == "=" { throw unsupported(2, assignment) }
            switch scalar {
            case "+": return make(.plus)
            case "-": return make(.minus)
            case "*": return make(.times)
            case "/": return make(.divide)
            default: return make(.remainder)
            }
        case "!":
            if peek(1) == "=" { return make(peek(2) == "=" ? .strictNotEqual : .notEqual) }
            return make(.not)
        case "=":
            if peek(1) == "=" { return make(peek(2) == "=" ? .strictEqual : .equal) }
            if peek(1) == ">" { throw unsupported(2, assignment) }
            return make(.singleEqual)
        case "<":
            if peek(1) == "<" { throw unsupported(2, "bitwise operators are not supported") }
            return make(peek(1) == "=" ? .lessEqual : .less)
        case ">":
            if peek(1) == ">" { throw unsupported(2, "bitwise operators are not supported") }
            return make(peek(1) == "=" ? .greaterEqual : .greater)
        case "&":
            if peek(1) == "&" { return make(.and) }
            throw unsupported(1, "bitwise operators are not supported; use '&&' for a logical and")
        case "|":
            if peek(1) == "|" { return make(.or) }
            throw unsupported(1, "bitwise operators are not supported; use '||' for a logical or")
        case "^", "~":
            throw unsupported(1, "bitwise operators are not supported")
        case "?", ":":
            throw unsupported(1, "the conditional operator is not supported; use if(a, b, c)")
        case "{":
            throw unsupported(1, "object literals are not supported; objects come from the context or the spec JSON")
        case ";":
            throw unsupported(1, "';' is not an argument separator; separate arguments with ','")
        default:
            throw CompileProblem(.syntax, at: start, token: String(scalar), "unexpected character")
        }
    }

    // MARK: Character classes

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value &- 0x30 < 10
    }

    static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (value | 0x20) &- 0x61 < 26 || scalar == "_" || scalar == "$"
        }
        return scalar.properties.isAlphabetic
    }

    static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return isIdentifierStart(scalar) || isDigit(scalar) }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType == .decimal
            || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
    }
}
