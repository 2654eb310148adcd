/// One challenge from a `WWW-Authenticate` field: the scheme and its parameters (RFC 9110 §11.6.1).
///
/// One field may hold several challenges (`Digest realm="a", nonce="b", Basic realm="c"`) and a response may
/// carry several fields; ``parse(_:)`` returns them all in order.
struct AuthChallenge: Sendable, Hashable {
    /// The scheme as written (`Digest`, `Basic`…).
    var scheme: String
    /// Parameters by lower-cased name, values unquoted; the first occurrence of a name wins.
    var parameters: [String: String]

    /// Every challenge in the given `WWW-Authenticate` field values.
    static func parse(_ fields: [String]) -> [AuthChallenge] {
        fields.flatMap { parse(field: $0) }
    }

    /// Every challenge in one field value. Lenient: junk is skipped, never fatal.
    static func parse(field: String) -> [AuthChallenge] {
        var scanner = ChallengeScanner(Array(field.utf8))
        var challenges: [AuthChallenge] = []
        while true {
            scanner.skip { $0 == .space || $0 == .tab || $0 == .comma }
            if scanner.atEnd { break }
            guard let scheme = scanner.token() else {
                scanner.advance()
                continue
            }
            var challenge = AuthChallenge(scheme: scheme, parameters: [:])
            parameters: while true {
                scanner.skip { $0 == .space || $0 == .tab }
                let mark = scanner.position
                guard let name = scanner.token() else { break }
                scanner.skip { $0 == .space || $0 == .tab }
                guard scanner.peek == .equals else {
                    scanner.position = mark  // a token not followed by `=` starts the next challenge
                    break
                }
                scanner.advance()
                scanner.skip { $0 == .space || $0 == .tab }
                let value = scanner.peek == .quote ? scanner.quotedString() : (scanner.token() ?? "")
                let key = name.lowercased()
                if challenge.parameters[key] == nil { challenge.parameters[key] = value }
                scanner.skip { $0 == .space || $0 == .tab }
                guard scanner.peek == .comma else { break }
                while scanner.peek == .comma || scanner.peek == .space || scanner.peek == .tab { scanner.advance() }
                // After the comma: another parameter (`name=`) or the next challenge (`Scheme name=`).
                let next = scanner.position
                if scanner.token() != nil {
                    scanner.skip { $0 == .space || $0 == .tab }
                    let isParameter = scanner.peek == .equals
                    scanner.position = next
                    if !isParameter { break parameters }
                }
            }
            challenges.append(challenge)
        }
        return challenges
    }
}

/// A byte cursor over a header value.
private struct ChallengeScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[position] }

    mutating func advance() { position += 1 }

    mutating func skip(while predicate: (UInt8) -> Bool) {
        while let byte = peek, predicate(byte) { position += 1 }
    }

    /// An RFC 9110 token, if one starts here.
    mutating func token() -> String? {
        let start = position
        while let byte = peek, HTTPSyntax.isTokenByte(byte) { position += 1 }
        return position > start ? HTTPSyntax.text(bytes[start..<position]) : nil
    }

    /// A quoted string starting at the opening quote, unescaped; an unterminated one runs to the end.
    mutating func quotedString() -> String {
        advance()
        var value: [UInt8] = []
        while let byte = peek {
            advance()
            if byte == .quote { break }
            if byte == .backslash, let escaped = peek {
                advance()
                value.append(escaped)
            } else {
                value.append(byte)
            }
        }
        return HTTPSyntax.text(value)
    }
}

extension UInt8 {
    fileprivate static let space = UInt8(ascii: " ")
    fileprivate static let tab = UInt8(ascii: "\t")
    fileprivate static let comma = UInt8(ascii: ",")
    fileprivate static let equals = UInt8(ascii: "=")
    fileprivate static let quote = UInt8(ascii: "\"")
    fileprivate static let backslash = UInt8(ascii: "\\")
}
