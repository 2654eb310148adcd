/// `toBinary` decoding of text (utf8, hex, base64).
enum BinaryEncoding {
    static let names: Set<String> = ["utf8", "hex", "base64"]

    /// The Binary of `value` under `encoding` (absent/Undefined/Null → utf8).
    static func toBinary(_ value: Value, encoding: Value) throws(FunctionFailure) -> Value {
        let name: String
        switch encoding {
        case .undefined, .null, .string(""): name = "utf8"
        default: name = encoding.text
        }
        guard names.contains(name) else {
            throw FunctionFailure(.encoding, "unknown encoding for toBinary; expected utf8, hex or base64")
        }
        switch value {
        case .binary: return value
        case .string(let text):
            switch name {
            case "hex": return hexDecode(text.utf8).map(Value.binary) ?? .undefined
            case "base64": return Base64.decode(text.utf8).map(Value.binary) ?? .undefined
            default: return .binary(Array(text.utf8))
            }
        default:
            return .binary(Array(value.text.utf8))
        }
    }

    /// Pairs of hex digits; `nil` for odd length or a non-hex character.
    static func hexDecode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var high: UInt8? = nil
        for byte in text {
            guard let digit = HexDigits.value(of: byte) else { return nil }
            if let pending = high {
                out.append(pending << 4 | digit)
                high = nil
            } else {
                high = digit
            }
        }
        return out
    }

    /// Compile-time check: a literal encoding name must be known.
    static let checkLiteralEncoding: BuiltinFunction.Check = { arguments in
        guard arguments.count > 1, case .string(let name)? = arguments[1].literal, !names.contains(name) else {
            return nil
        }
        return CompileProblem(
            .encoding, at: arguments[1].start, token: arguments[1].lexeme,
            "unknown encoding for toBinary; expected utf8, hex or base64")
    }
}

/// Lower-case hexadecimal text of bytes.
enum HexText {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    static func encode(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
