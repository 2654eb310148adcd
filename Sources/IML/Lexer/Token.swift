/// A lexical token of an IML expression (iml.md §3.1).
struct Token {
    enum Kind: Equatable {
        /// A number literal, possibly an exact big integer.
        case number(Number)
        /// A quoted string literal, unescaped.
        case string(String)
        /// An identifier (variables, keywords, constants and function names).
        case identifier(String)
        /// A member name after `.` (letters, digits, `_`, `$`).
        case memberName(String)
        /// A backtick name, verbatim.
        case backtick(String)
        /// An operator or punctuation that IML supports.
        case symbol(Symbol)
        /// A construct of iml.md §3.5 that IML does not support.
        case unsupported
        /// The end of the expression (the tag's `}}`).
        case end
    }

    enum Symbol: String {
        case leftParen = "("
        case rightParen = ")"
        case leftBracket = "["
        case rightBracket = "]"
        case dot = "."
        case comma = ","
        case not = "!"
        case times = "*"
        case divide = "/"
        case remainder = "%"
        case plus = "+"
        case minus = "-"
        case less = "<"
        case lessEqual = "<="
        case greater = ">"
        case greaterEqual = ">="
        case equal = "=="
        case singleEqual = "="
        case strictEqual = "==="
        case notEqual = "!="
        case strictNotEqual = "!=="
        case and = "&&"
        case or = "||"
    }

    var kind: Kind
    /// Position of the first scalar in the template string (0-based).
    var start: Int
    /// The lexeme as written.
    var text: String
}
