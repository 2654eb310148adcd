/// Why a JSON text could not be parsed, and where.
///
/// The message describes the problem without quoting the input (which may hold secrets).
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Reason: String, Sendable, Hashable {
        case unexpectedEnd = "unexpected end of input"
        case unexpectedCharacter = "unexpected character"
        case invalidNumber = "invalid number"
        case invalidEscape = "invalid escape sequence in string"
        case controlCharacterInString = "unescaped control character in string"
        case invalidUTF8 = "invalid UTF-8"
        case unterminatedString = "unterminated string"
        case unterminatedComment = "unterminated comment"
        case expectedKey = "expected a string key"
        case expectedColon = "expected ':' after an object key"
        case expectedCommaOrEnd = "expected ',' or a closing bracket"
        case trailingComma = "trailing comma"
        case trailingData = "unexpected data after the JSON value"
        case tooDeep = "nesting too deep"
    }

    /// The kind of problem.
    public var reason: Reason
    /// The 0-based byte offset in the input where the problem was found.
    public var offset: Int

    /// An error of `reason` at byte `offset`.
    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// `invalid JSON: <reason> at byte <offset>`.
    public var description: String { "invalid JSON: \(reason.rawValue) at byte \(offset)" }
}
