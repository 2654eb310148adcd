/// ECMAScript `Number::toString` for doubles (iml.md §1.3).
enum NumberFormatting {
    /// The JavaScript text of `value`: `5`, `2.5`, `1e+21`, `NaN`, `-Infinity`.
    static func javaScriptText(_ value: Double) -> String {
        if let small = smallIntegerText(value) { return small }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendJavaScriptText(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text of an integral value of magnitude below 2^53, or `nil`.
    @inline(__always)
    static func smallIntegerText(_ value: Double) -> String? {
        if value == value.rounded(.towardZero), abs(value) < 9_007_199_254_740_992 {
            return value == 0 ? "0" : String(Int64(value))
        }
        return nil
    }

    /// Appends the JavaScript text of `value` as UTF-8.
    static func appendJavaScriptText(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN {
            out.append(contentsOf: "NaN".utf8)
            return
        }
        if value == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        if value < 0 {
            out.append(UInt8(ascii: "-"))
        }
        let magnitude = abs(value)
        if magnitude.isInfinite {
            out.append(contentsOf: "Infinity".utf8)
            return
        }
        if magnitude == magnitude.rounded(.towardZero), magnitude < 9_007_199_254_740_992 {
            appendDecimal(UInt64(magnitude), to: &out)
            return
        }
        let (digits, exponent) = shortestDigits(magnitude)
        appendFormatted(digits: digits, pointPosition: exponent, to: &out)
    }

    /// Appends the decimal digits of `value`.
    static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        let start = out.count
        var remaining = value
        while remaining > 0 {
            out.append(UInt8(ascii: "0") &+ UInt8(remaining % 10))
            remaining /= 10
        }
        out[start...].reverse()
    }

    /// The shortest round-tripping digits of a positive finite double and `n` with value = 0.digits × 10^n.
    static func shortestDigits(_ magnitude: Double) -> (digits: [UInt8], exponent: Int) {
        // Swift's description already prints the shortest round-tripping digits; re-read them.
        let text = magnitude.description.utf8
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var pointPosition: Int? = nil
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for byte in text {
            if inExponent {
                switch byte {
                case UInt8(ascii: "-"): exponentNegative = true
                case UInt8(ascii: "+"): break
                default: exponent = exponent &* 10 &+ Int(byte &- UInt8(ascii: "0"))
                }
            } else if byte == UInt8(ascii: ".") {
                pointPosition = digits.count
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                inExponent = true
            } else {
                digits.append(byte)
            }
        }
        if exponentNegative { exponent = -exponent }
        var position = (pointPosition ?? digits.count) + exponent
        // Strip leading zeros (each moves the point) and trailing zeros.
        var leading = 0
        while leading < digits.count - 1 && digits[leading] == UInt8(ascii: "0") { leading += 1 }
        if leading > 0 {
            digits.removeFirst(leading)
            position -= leading
        }
        while digits.count > 1 && digits[digits.count - 1] == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, position)
    }

    /// Lays out `0.digits × 10^pointPosition` by the four rules of ECMAScript `Number::toString`.
    static func appendFormatted(digits: [UInt8], pointPosition n: Int, to out: inout [UInt8]) {
        let k = digits.count
        if k <= n && n <= 21 {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n - k))
        } else if 0 < n && n <= 21 {
            out.append(contentsOf: digits[0..<n])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[n...])
        } else if -6 < n && n <= 0 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -n))
            out.append(contentsOf: digits)
        } else {
            out.append(digits[0])
            if k > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1...])
            }
            out.append(UInt8(ascii: "e"))
            let e = n - 1
            out.append(e < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            appendDecimal(UInt64(abs(e)), to: &out)
        }
    }
}
