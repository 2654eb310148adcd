extension Value {
    /// The default limit on nested arrays and objects when parsing JSON.
    public static let defaultJSONDepthLimit = 512

    /// Parses strict JSON (RFC 8259) from UTF-8 bytes.
    ///
    /// Integers that a double cannot hold exactly keep their digits (see ``Number``); a repeated object key keeps
    /// its first position and takes the last value. A UTF-8 byte order mark is skipped.
    /// - Throws: ``JSONParseError`` naming the problem and its byte offset.
    public init(parsingJSON bytes: some Collection<UInt8>, depthLimit: Int = Value.defaultJSONDepthLimit)
        throws(JSONParseError)
    {
        self = try JSONParser.parse(bytes, options: JSONParser.Options(depthLimit: depthLimit))
    }

    /// Parses strict JSON from a string.
    /// - Throws: ``JSONParseError`` naming the problem and its byte offset.
    public init(parsingJSON text: String) throws(JSONParseError) {
        self = try JSONParser.parse(text.utf8, options: JSONParser.Options())
    }

    /// Parses JSON with comments (`//`, `/* */`) and trailing commas, the format of spec files.
    /// - Throws: ``JSONParseError`` naming the problem and its byte offset.
    public init(parsingJSONC bytes: some Collection<UInt8>, depthLimit: Int = Value.defaultJSONDepthLimit)
        throws(JSONParseError)
    {
        self = try JSONParser.parse(
            bytes, options: JSONParser.Options(allowsComments: true, depthLimit: depthLimit))
    }

    /// Parses JSON with comments and trailing commas from a string.
    /// - Throws: ``JSONParseError`` naming the problem and its byte offset.
    public init(parsingJSONC text: String) throws(JSONParseError) {
        self = try JSONParser.parse(text.utf8, options: JSONParser.Options(allowsComments: true))
    }
}

/// A recursive-descent JSON parser over UTF-8 bytes.
struct JSONParser {
    struct Options {
        /// Accept `//` and `/* */` comments and trailing commas.
        var allowsComments = false
        /// Keep integers beyond a double's precision exact (false: every number is a double, as `parseJSON`).
        var keepsExactIntegers = true
        var depthLimit = Value.defaultJSONDepthLimit
    }

    let input: UnsafeBufferPointer<UInt8>
    let options: Options
    var position = 0

    static func parse(_ bytes: some Collection<UInt8>, options: Options) throws(JSONParseError) -> Value {
        let result: Result<Value, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            var parser = JSONParser(input: buffer, options: options)
            return Result { () throws(JSONParseError) in try parser.parseDocument() }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var parser = JSONParser(input: buffer, options: options)
            return try parser.parseDocument()
        }
    }

    private init(input: UnsafeBufferPointer<UInt8>, options: Options) {
        self.input = input
        self.options = options
    }

    mutating func parseDocument() throws(JSONParseError) -> Value {
        if input.count >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF { position = 3 }
        try skipWhitespace()
        let value = try parseValue(depth: 0)
        try skipWhitespace()
        if position < input.count { throw JSONParseError(.trailingData, at: position) }
        return value
    }

    // MARK: Whitespace and comments

    @inline(__always)
    private mutating func skipWhitespace() throws(JSONParseError) {
        // Compact JSON has no whitespace: most calls find a token right away.
        guard position < input.count, input[position] <= 0x20 || input[position] == UInt8(ascii: "/") else { return }
        try skipWhitespaceAndComments()
    }

    private mutating func skipWhitespaceAndComments() throws(JSONParseError) {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x0A, 0x0D, 0x09:
                position += 1
            case UInt8(ascii: "/") where options.allowsComments:
                try skipComment()
            default:
                return
            }
        }
    }

    private mutating func skipComment() throws(JSONParseError) {
        let start = position
        guard position + 1 < input.count else { throw JSONParseError(.unexpectedCharacter, at: position) }
        switch input[position + 1] {
        case UInt8(ascii: "/"):
            position += 2
            while position < input.count && input[position] != 0x0A { position += 1 }
        case UInt8(ascii: "*"):
            position += 2
            while true {
                guard position + 1 < input.count else { throw JSONParseError(.unterminatedComment, at: start) }
                if input[position] == UInt8(ascii: "*") && input[position + 1] == UInt8(ascii: "/") {
                    position += 2
                    return
                }
                position += 1
            }
        default:
            throw JSONParseError(.unexpectedCharacter, at: position)
        }
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> Value {
        guard position < input.count else { throw JSONParseError(.unexpectedEnd, at: position) }
        switch input[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw JSONParseError(.unexpectedCharacter, at: position)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count {
            guard position + offset < input.count else { throw JSONParseError(.unexpectedEnd, at: position + offset) }
            guard input[position + offset] == bytes[offset] else {
                throw JSONParseError(.unexpectedCharacter, at: position + offset)
            }
        }
        position += count
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> Value {
        guard depth <= options.depthLimit else { throw JSONParseError(.tooDeep, at: position) }
        position += 1  // [
        var elements: [Value] = []
        try skipWhitespace()
        if position < input.count && input[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            try skipWhitespace()
            guard position < input.count else { throw JSONParseError(.unexpectedEnd, at: position) }
            switch input[position] {
            case UInt8(ascii: ","):
                let comma = position
                position += 1
                try skipWhitespace()
                if position < input.count && input[position] == UInt8(ascii: "]") {
                    guard options.allowsComments else { throw JSONParseError(.trailingComma, at: comma) }
                    position += 1
                    return .array(elements)
                }
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default:
                throw JSONParseError(.expectedCommaOrEnd, at: position)
            }
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> Value {
        guard depth <= options.depthLimit else { throw JSONParseError(.tooDeep, at: position) }
        position += 1  // {
        var object = Object(minimumCapacity: 8)  // most objects are small: no regrowth while parsing
        var keysSeen: UInt64 = 0  // a 64-bit Bloom filter of the keys so far: a key whose bit is clear is new
        try skipWhitespace()
        if position < input.count && input[position] == UInt8(ascii: "}") {
            position += 1
            return .object(object)
        }
        while true {
            guard position < input.count else { throw JSONParseError(.unexpectedEnd, at: position) }
            guard input[position] == UInt8(ascii: "\"") else { throw JSONParseError(.expectedKey, at: position) }
            let keyStart = position + 1
            let key = try parseString()
            // Escapes always shorten a key, so when the raw bytes are as long as the key they are the key's bytes.
            // A key that had escapes is hashed from its text (its plain twin, later, must find its bit) and always
            // looked up (an earlier plain twin may be there).
            let raw = UnsafeBufferPointer(rebasing: input[keyStart..<(position - 1)])
            let isPlain = raw.count == key.utf8.count
            let keyBit = isPlain ? Self.filterBit(raw) : Self.filterBit(of: key)
            try skipWhitespace()
            guard position < input.count else { throw JSONParseError(.unexpectedEnd, at: position) }
            guard input[position] == UInt8(ascii: ":") else { throw JSONParseError(.expectedColon, at: position) }
            position += 1
            try skipWhitespace()
            let value = try parseValue(depth: depth)
            if isPlain && keysSeen & keyBit == 0 {
                object.appendNew(consume value, forKey: consume key)
            } else {
                object.updateValue(consume value, forKey: consume key)
            }
            keysSeen |= keyBit
            try skipWhitespace()
            guard position < input.count else { throw JSONParseError(.unexpectedEnd, at: position) }
            switch input[position] {
            case UInt8(ascii: ","):
                let comma = position
                position += 1
                try skipWhitespace()
                if position < input.count && input[position] == UInt8(ascii: "}") {
                    guard options.allowsComments else { throw JSONParseError(.trailingComma, at: comma) }
                    position += 1
                    return .object(object)
                }
            case UInt8(ascii: "}"):
                position += 1
                return .object(object)
            default:
                throw JSONParseError(.expectedCommaOrEnd, at: position)
            }
        }
    }

    /// A key's bit in an object's filter of seen keys: its length and every byte, mixed, so that keys of one length
    /// (`userName`, `username`, `password`) mostly get different bits; a shared bit only costs a lookup.
    @inline(__always)
    private static func filterBit(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash = UInt64(truncatingIfNeeded: key.count)
        for byte in key { hash = hash &* 31 &+ UInt64(byte) }
        return 1 << ((hash &* 0x9E37_79B9_7F4A_7C15) >> 58)
    }

    /// The filter bit of a key's text (a key that was written with escapes).
    private static func filterBit(of key: String) -> UInt64 {
        var key = key
        return key.withUTF8 { filterBit($0) }
    }

    // MARK: Strings

    private mutating func parseString() throws(JSONParseError) -> String {
        let start = position
        position += 1  // opening quote
        var scan = position
        var highBits: UInt8 = 0  // every byte OR-ed: 0x80 set when the string is not ASCII
        // Fast path: no escapes. The input is non-empty (it holds the opening quote), and `scan` stays below its
        // count, so the loop reads through the base pointer without bounds checks.
        let bytes = input.baseAddress!
        // Eight bytes at a time up to the first quote, backslash or control character, which the byte loop below
        // then takes in hand.
        var wordBits: UInt64 = 0
        while scan + 8 <= input.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes + scan).loadUnaligned(as: UInt64.self))
            let stops = Self.plainRunStops(word)
            if stops != 0 {
                let plain = stops.trailingZeroBitCount & ~7  // bits of the bytes before the first stop
                wordBits |= word & ((1 << plain) &- 1)
                scan += plain >> 3
                break
            }
            wordBits |= word
            scan += 8
        }
        if wordBits & 0x8080_8080_8080_8080 != 0 { highBits = 0x80 }
        while scan < input.count {
            let byte = bytes[scan]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(start: bytes + position, count: scan - position)
                position = scan + 1
                if highBits < 0x80 { return Self.asciiString(slice) }
                guard let text = String(validating: slice, as: UTF8.self) else {
                    throw JSONParseError(.invalidUTF8, at: start)
                }
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw JSONParseError(.controlCharacterInString, at: scan) }
            highBits |= byte
            scan += 1
        }
        guard scan < input.count else { throw JSONParseError(.unterminatedString, at: start) }
        // Slow path: decode escapes into a buffer.
        var buffer: [UInt8] = Array(input[position..<scan])
        position = scan
        while position < input.count {
            let byte = input[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw JSONParseError(.invalidUTF8, at: start)
                }
                return text
            case UInt8(ascii: "\\"):
                try decodeEscape(into: &buffer)
            case 0..<0x20:
                throw JSONParseError(.controlCharacterInString, at: position)
            default:
                buffer.append(byte)
                position += 1
            }
        }
        throw JSONParseError(.unterminatedString, at: start)
    }

    /// A string of ASCII bytes. Up to 15 bytes, the string is built in place (a small string, checked as ASCII in
    /// one step), which is cheaper than decoding; most keys and many values are that short.
    @inline(__always)
    private static func asciiString(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.count <= 15 else { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            _ = buffer.initialize(from: bytes)
            return bytes.count
        }
    }

    /// The high bit of each byte of `word` (eight bytes of a string, the first in the low bits) that may be a quote, a
    /// backslash or a control character: the classic "has a zero byte" and "has a byte less than n" tests. The lowest
    /// bit set is exact (borrows only run upwards), which is all the scan needs: it marks the first such byte.
    @inline(__always)
    private static func plainRunStops(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let quotes = zeroBytes(word ^ (ones &* UInt64(UInt8(ascii: "\""))))
        let backslashes = zeroBytes(word ^ (ones &* UInt64(UInt8(ascii: "\\"))))
        let controls = (word &- ones &* 0x20) & ~word & highs
        return quotes | backslashes | controls
    }

    private mutating func decodeEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = position
        position += 1
        guard position < input.count else { throw JSONParseError(.unterminatedString, at: escapeStart) }
        let code = input[position]
        position += 1
        switch code {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(code)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4(escapeStart: escapeStart)
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate: combine with a following low surrogate escape if there is one.
                if position + 1 < input.count, input[position] == UInt8(ascii: "\\"),
                    input[position + 1] == UInt8(ascii: "u")
                {
                    let saved = position
                    position += 2
                    let low = try readHex4(escapeStart: saved)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        position = saved
                        scalar = 0xFFFD
                    }
                } else {
                    scalar = 0xFFFD
                }
            } else if (0xDC00..<0xE000).contains(scalar) {
                scalar = 0xFFFD  // a lone low surrogate cannot live in a Swift string
            }
            appendUTF8(scalar, to: &buffer)
        default:
            throw JSONParseError(.invalidEscape, at: escapeStart)
        }
    }

    private mutating func readHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        guard position + 4 <= input.count else { throw JSONParseError(.invalidEscape, at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = HexDigits.value(of: input[position]) else {
                throw JSONParseError(.invalidEscape, at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(JSONParseError) -> Number {
        let start = position
        var negative = false
        if input[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let integerStart = position
        guard position < input.count, isDigit(input[position]) else {
            throw JSONParseError(.invalidNumber, at: start)
        }
        if input[position] == UInt8(ascii: "0") {
            position += 1
            if position < input.count && isDigit(input[position]) { throw JSONParseError(.invalidNumber, at: start) }
        } else {
            while position < input.count && isDigit(input[position]) { position += 1 }
        }
        let integerEnd = position
        var isInteger = true
        if position < input.count && input[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < input.count, isDigit(input[position]) else {
                throw JSONParseError(.invalidNumber, at: start)
            }
            while position < input.count && isDigit(input[position]) { position += 1 }
        }
        if position < input.count && (input[position] | 0x20) == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            if position < input.count && (input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-"))
            {
                position += 1
            }
            guard position < input.count, isDigit(input[position]) else {
                throw JSONParseError(.invalidNumber, at: start)
            }
            while position < input.count && isDigit(input[position]) { position += 1 }
        }
        if isInteger {
            let digits = UnsafeBufferPointer(rebasing: input[integerStart..<integerEnd])
            if digits.count <= 15 {
                var value: Int64 = 0
                for digit in digits { value = value &* 10 &+ Int64(digit &- UInt8(ascii: "0")) }
                if negative { return Number(value == 0 ? -0.0 : Double(-value)) }
                return Number(Double(value))
            }
            if options.keepsExactIntegers {
                return Number(integerDigits: Array(digits)[...], negative: negative)
            }
        }
        return Number(DecimalText.double(UnsafeBufferPointer(rebasing: input[start..<position])))
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}

/// Hexadecimal digit values.
enum HexDigits {
    @inline(__always)
    static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Appends the UTF-8 encoding of a scalar value (which must not be a surrogate).
func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
        buffer.append(UInt8(scalar))
    case 0x80..<0x800:
        buffer.append(UInt8(0xC0 | scalar >> 6))
        buffer.append(UInt8(0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
        buffer.append(UInt8(0xE0 | scalar >> 12))
        buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
        buffer.append(UInt8(0x80 | scalar & 0x3F))
    default:
        buffer.append(UInt8(0xF0 | scalar >> 18))
        buffer.append(UInt8(0x80 | scalar >> 12 & 0x3F))
        buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
        buffer.append(UInt8(0x80 | scalar & 0x3F))
    }
}
