/// The HTTP/1.1 syntax rules requests are checked against, and text decoding of received bytes.
enum HTTPSyntax {
    /// RFC 9110 `tchar`: what a method or header name may contain.
    static func isToken(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in !bytes.isEmpty && bytes.allSatisfy(isTokenByte) }
    }

    /// Whether `byte` is an RFC 9110 `tchar`: a letter, a digit or one of ``!#$%&'*+-.^_`|~``.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        // Bit n of the two words is set when byte n (below 128) is a tchar: checked per byte without a table.
        let word = byte < 64 ? tokenBytesBelow64 : byte < 128 ? tokenBytesFrom64 : 0
        return word >> UInt64(byte & 63) & 1 == 1
    }

    /// Bytes 0–63 that are tchars: `!#$%&'*+-.` and the digits.
    private static let tokenBytesBelow64: UInt64 = 0x03FF_6CFA_0000_0000
    /// Bytes 64–127 that are tchars: the letters and `^_`|~`.
    private static let tokenBytesFrom64: UInt64 = 0x57FF_FFFF_C7FF_FFFE

    /// Throws unless the method and every header can be sent without changing the request's framing.
    ///
    /// Messages name the header, never its value.
    static func validate(method: String, headers: [HTTPHeader]) throws(HTTPError) {
        guard isToken(method) else { throw .invalidRequest("the method is not a valid HTTP token") }
        for header in headers { try validate(header) }
    }

    /// Throws unless `header` can be sent as one line: a token for a name, no line break or NUL in the value.
    static func validate(_ header: HTTPHeader) throws(HTTPError) {
        guard isToken(header.name) else {
            throw .invalidRequest("a header name is not a valid HTTP token (\(header.name.debugDescription))")
        }
        var value = header.value
        guard !value.withUTF8({ $0.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 } }) else {
            throw .invalidRequest("the value of header \(header.name) contains a line break or NUL")
        }
    }

    /// Whether two header names are equal regardless of case (`lhs.lowercased() == rhs.lowercased()`), without
    /// building lower-cased copies when both are ASCII.
    static func namesEqual(_ lhs: String, _ rhs: String) -> Bool {
        // Read in place (`withUTF8` needs a mutable copy of each string: a retain and a release per comparison).
        let equal: Bool? = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right -> Bool? in
                guard left.count == right.count else {
                    return left.allSatisfy({ $0 < 0x80 }) && right.allSatisfy({ $0 < 0x80 }) ? false : nil
                }
                for index in left.indices {
                    let (l, r) = (left[index], right[index])
                    if l >= 0x80 || r >= 0x80 { return nil }
                    if folded(l) != folded(r) { return false }
                }
                return true
            } ?? nil
        } ?? nil
        return equal ?? (lhs.lowercased() == rhs.lowercased())
    }

    /// `name.lowercased()`, without building a copy when an ASCII name is lower-case already (nearly every
    /// header name and media type a flow handles).
    static func lowercased(_ name: String) -> String {
        var name = name
        let isLowerASCII = name.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 && !isUpperASCII($0) } }
        return isLowerASCII ? name : name.lowercased()
    }

    /// An ASCII upper-case letter as lower case; every other byte as it is.
    private static func folded(_ byte: UInt8) -> UInt8 {
        isUpperASCII(byte) ? byte | 0x20 : byte
    }

    private static func isUpperASCII(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
    }

    /// Received header bytes as text: UTF-8 when valid, otherwise ISO-8859-1 (every byte one character).
    static func text<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmed: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
