/// An IML number: an IEEE-754 double, or an integer too large for a double that keeps its exact digits.
///
/// Arithmetic always uses ``double``. An integer read from JSON or written as a literal that a double cannot
/// hold exactly (a 64-bit account id, say) remembers its decimal digits, so that passing it along, printing it
/// and comparing it for equality keep it exact (iml.md §1).
public struct Number: Sendable {
    /// The value as a double; for an exact integer, the nearest double.
    public let double: Double
    /// The canonical decimal digits (optional `-`, no leading zeros) of an integer a double cannot hold exactly.
    let exactDigits: ExactDigits?

    /// A number with the value of `double`.
    public init(_ double: Double) {
        self.double = double
        self.exactDigits = nil
    }

    private init(double: Double, exactDigits: ExactDigits?) {
        self.double = double
        self.exactDigits = exactDigits
    }

    /// A number with the value of `integer`, kept exact when a double cannot hold it.
    public init(_ integer: Int) {
        self.init(Int64(integer))
    }

    /// A number with the value of `integer`, kept exact when a double cannot hold it.
    public init(_ integer: Int64) {
        let double = Double(integer)
        self.double = double
        // Double(Int64.max) rounds up to 2^63, which Int64(exactly:) rejects.
        if let back = Int64(exactly: double), back == integer {
            self.exactDigits = nil
        } else {
            self.exactDigits = ExactDigits(String(integer))
        }
    }

    /// A number from the decimal text of an integer (optional `-`, then digits), exact when a double cannot hold
    /// it; `nil` when the text is not such an integer.
    public init?(integerText text: some StringProtocol) {
        var utf8 = Array(text.utf8)
        var negative = false
        if utf8.first == UInt8(ascii: "-") {
            negative = true
            utf8.removeFirst()
        }
        guard !utf8.isEmpty, utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else { return nil }
        self.init(integerDigits: utf8[...], negative: negative)
    }

    /// Builds a number from ASCII digits (already checked) and a sign.
    init(integerDigits digits: ArraySlice<UInt8>, negative: Bool) {
        // Strip leading zeros for the canonical form.
        var start = digits.startIndex
        while start < digits.endIndex - 1 && digits[start] == UInt8(ascii: "0") { start += 1 }
        let significant = digits[start...]
        if significant.count <= 18 {
            var value: Int64 = 0
            for digit in significant { value = value &* 10 &+ Int64(digit &- UInt8(ascii: "0")) }
            if negative { value = 0 &- value }
            if value == 0 && negative {
                self.init(-0.0)
            } else {
                self.init(value)
            }
            return
        }
        var text = negative ? "-" : ""
        text.append(String(decoding: significant, as: UTF8.self))
        let double = Double(text) ?? .nan
        if let exact = Number.exactIntegerText(of: double), exact == text {
            self.init(double: double, exactDigits: nil)
        } else {
            self.init(double: double, exactDigits: ExactDigits(text))
        }
    }

    /// The number with its sign inverted (exact digits stay exact).
    public func negated() -> Number {
        guard let exactDigits else { return Number(-double) }
        let text = exactDigits.text
        let flipped = text.hasPrefix("-") ? String(text.dropFirst()) : "-" + text
        return Number(double: -double, exactDigits: ExactDigits(flipped))
    }

    /// Whether this number keeps exact digits a double cannot hold.
    public var isExactBigInteger: Bool { exactDigits != nil }

    /// The value as an `Int64` when it is an integer in range, else `nil`.
    public var int64: Int64? {
        if let exactDigits { return Int64(exactDigits.text) }
        return Int64(exactly: double)
    }

    /// The exact decimal text of an integral double whose magnitude is below 2^64, else `nil`.
    static func exactIntegerText(of double: Double) -> String? {
        guard double.isFinite, double == double.rounded(.towardZero) else { return nil }
        if let signed = Int64(exactly: double) { return String(signed) }
        if double > 0, let unsigned = UInt64(exactly: double) { return String(unsigned) }
        if double < 0, let unsigned = UInt64(exactly: -double) { return "-" + String(unsigned) }
        return nil
    }
}

/// The digits of an exact big integer, boxed so that `Number` stays two words wide.
final class ExactDigits: Sendable {
    let text: String
    init(_ text: String) { self.text = text }
}

extension Number: Equatable {
    /// IML equality: by IEEE value, except that an exact big integer equals only the same digits.
    public static func == (lhs: Number, rhs: Number) -> Bool {
        switch (lhs.exactDigits, rhs.exactDigits) {
        case (nil, nil): return lhs.double == rhs.double
        case (let left?, let right?): return left.text == right.text
        default: return false
        }
    }
}

extension Number: Hashable {
    public func hash(into hasher: inout Hasher) {
        if let exactDigits {
            hasher.combine(exactDigits.text)
        } else {
            hasher.combine(double)
        }
    }
}

extension Number: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int64) { self.init(value) }
    public init(floatLiteral value: Double) { self.init(value) }
}

extension Number: CustomStringConvertible {
    /// The JavaScript number form (iml.md §1.3), or the exact digits.
    public var description: String {
        if let exactDigits { return exactDigits.text }
        return NumberFormatting.javaScriptText(double)
    }
}
