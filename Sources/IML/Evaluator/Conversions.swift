/// The conversions every operator and function share: truthiness, ToNumber, ToText (iml.md §1.1, §5.4, §5.5).
extension Value {
    /// Truthiness: `false`, `0`, `-0`, `NaN`, `""`, Null and Undefined are falsy; everything else is truthy.
    public var isTruthy: Bool {
        switch self {
        case .undefined, .null: false
        case .bool(let flag): flag
        case .number(let number): !(number.double == 0 || number.double.isNaN)
        case .string(let text): !text.isEmpty
        case .array, .object, .date, .binary: true
        }
    }

    /// ToNumber (iml.md §5.5): JavaScript rules, with NaN for arrays, objects and binary.
    public var numericValue: Double {
        switch self {
        case .undefined: .nan
        case .null: 0
        case .bool(let flag): flag ? 1 : 0
        case .number(let number): number.double
        case .string(let text): NumericText.javaScriptNumber(text)
        case .date(let instant): Double(instant.millisecondsSinceEpoch)
        case .array, .object, .binary: .nan
        }
    }

    /// ToText (iml.md §1.1): the text a value becomes in mixed templates, `+` and text functions.
    public var text: String {
        switch self {
        case .undefined, .null: ""
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): number.description
        case .string(let text): text
        case .array, .object: compactJSON()
        case .date(let instant): instant.isoText
        case .binary(let bytes): String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Appends ToText of the value to `out`.
    func appendText(to out: inout String) {
        switch self {
        case .undefined, .null: break
        case .string(let text): out.append(text)
        default: out.append(text)
        }
    }
}

/// JavaScript's string-to-number conversion.
enum NumericText {
    /// Whether `scalar` is JavaScript white space or a line terminator (what `trim` removes).
    static func isJavaScriptWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            true
        default:
            false
        }
    }

    /// `text` without leading and trailing JavaScript white space.
    static func trimmed(_ text: String) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isJavaScriptWhitespace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isJavaScriptWhitespace($0) }) ?? first
        return Substring(scalars[first...last])
    }

    /// JavaScript `Number(text)`.
    static func javaScriptNumber(_ text: String) -> Double {
        let body = trimmed(text)
        if body.isEmpty { return 0 }
        var utf8 = Array(body.utf8)
        switch body {
        case "Infinity", "+Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: break
        }
        if utf8.count > 2 && utf8[0] == UInt8(ascii: "0") {
            let radix: Double
            switch utf8[1] | 0x20 {
            case UInt8(ascii: "x"): radix = 16
            case UInt8(ascii: "o"): radix = 8
            case UInt8(ascii: "b"): radix = 2
            default: radix = 0
            }
            if radix > 0 {
                var value = 0.0
                for byte in utf8[2...] {
                    guard let digit = HexDigits.value(of: byte), Double(digit) < radix else { return .nan }
                    value = value * radix + Double(digit)
                }
                return value
            }
        }
        // Only decimal literal characters may appear (this also rejects "nan", "inf" and hex floats).
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                UInt8(ascii: "+"), UInt8(ascii: "-"):
                continue
            default:
                return .nan
            }
        }
        return utf8.withUnsafeMutableBufferPointer { DecimalText.double(UnsafeBufferPointer($0)) }
    }
}
