/// Reading decimal number text (`-12.5e3`) into a correctly rounded double.
enum DecimalText {
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The double of text already known to match `-? digits [. digits] [(e|E) [+-] digits]` (or a prefix of
    /// it accepted by the caller); NaN when the text cannot be read.
    static func double(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        // Clinger's fast path: up to 15 significant digits and a small power of ten are exact.
        var index = 0
        var negative = false
        if index < text.count && (text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+")) {
            negative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var sawDigit = false
        while index < text.count, text[index] &- UInt8(ascii: "0") < 10 {
            sawDigit = true
            if mantissa != 0 || text[index] != UInt8(ascii: "0") {
                significantDigits += 1
            }
            if significantDigits <= 19 {
                mantissa = mantissa &* 10 &+ UInt64(text[index] &- UInt8(ascii: "0"))
            } else {
                exponent += 1
            }
            index += 1
        }
        if index < text.count && text[index] == UInt8(ascii: ".") {
            index += 1
            while index < text.count, text[index] &- UInt8(ascii: "0") < 10 {
                sawDigit = true
                if mantissa != 0 || text[index] != UInt8(ascii: "0") {
                    significantDigits += 1
                }
                if significantDigits <= 19 {
                    mantissa = mantissa &* 10 &+ UInt64(text[index] &- UInt8(ascii: "0"))
                    exponent -= 1
                }
                index += 1
            }
        }
        guard sawDigit else { return .nan }
        if index < text.count && (text[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < text.count && (text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+")) {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            var explicit = 0
            var sawExponentDigit = false
            while index < text.count, text[index] &- UInt8(ascii: "0") < 10 {
                sawExponentDigit = true
                if explicit < 100_000 { explicit = explicit * 10 + Int(text[index] &- UInt8(ascii: "0")) }
                index += 1
            }
            guard sawExponentDigit else { return .nan }
            exponent += exponentNegative ? -explicit : explicit
        }
        guard index == text.count else { return .nan }
        if significantDigits <= 15 && mantissa < (1 << 53) && abs(exponent) <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
            return negative ? -value : value
        }
        if mantissa == 0 { return negative ? -0.0 : 0 }
        // Slow path: the standard library's correctly rounded parser.
        return Double(String(decoding: text, as: UTF8.self)) ?? .nan
    }
}
