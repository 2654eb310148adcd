/// Reading the date arguments of date functions (iml.md §7.6).
enum DateArgument {
    /// The instant of a date argument: a Date as it is, a String in ISO 8601 (local time in `zone` unless it has
    /// an offset), a Number as milliseconds since the epoch. `nil` for anything else or an unreadable text.
    static func instant(_ value: Value, zone: ZoneRules) -> Instant? {
        switch value {
        case .date(let instant): return instant
        case .string(let text): return parseISO(text, zone: zone)
        case .number(let number): return Instant(milliseconds: number.double)
        default: return nil
        }
    }

    /// `YYYY-MM-DD[(T| )HH:mm[:ss[.f…]][Z|±HH:mm|±HHmm|±HH]]`.
    static func parseISO(_ text: String, zone: ZoneRules) -> Instant? {
        var reader = DigitReader(text)
        guard let year = reader.fixed(4), reader.take("-"), let month = reader.fixed(2), reader.take("-"),
            let day = reader.fixed(2)
        else { return nil }
        var fields = CivilTime(year: year, month: month, day: day)
        var offsetSeconds: Int? = nil
        if reader.take("T") || reader.take(" ") {
            guard let hour = reader.fixed(2), reader.take(":"), let minute = reader.fixed(2) else { return nil }
            fields.hour = hour
            fields.minute = minute
            if reader.take(":") {
                guard let second = reader.fixed(2) else { return nil }
                fields.second = second
                if reader.take(".") {
                    guard let fraction = reader.fraction(maxDigits: 9) else { return nil }
                    fields.millisecond = fraction
                }
            }
            if reader.take("Z") || reader.take("z") {
                offsetSeconds = 0
            } else if let sign = reader.sign() {
                guard let hours = reader.fixed(2) else { return nil }
                var minutes = 0
                if reader.take(":") {
                    guard let value = reader.fixed(2) else { return nil }
                    minutes = value
                } else if let value = reader.fixed(2) {
                    minutes = value
                }
                guard hours <= 23, minutes <= 59 else { return nil }
                offsetSeconds = sign * (hours * 3600 + minutes * 60)
            }
        }
        guard reader.isAtEnd, fields.isValid else { return nil }
        let instant: Instant
        if let offsetSeconds {
            instant = Instant(millisecondsSinceEpoch: fields.millisecondsAsUTC - Int64(offsetSeconds) * 1000)
        } else {
            instant = zone.instant(fields)
        }
        return instant.isInRange ? instant : nil
    }
}

extension CivilTime {
    /// Whether every field is in range (years 1–9999).
    var isValid: Bool {
        (1...9999).contains(year) && (1...12).contains(month)
            && (1...CivilTime.daysInMonth(year: year, month: month)).contains(day) && (0...23).contains(hour)
            && (0...59).contains(minute) && (0...59).contains(second) && (0...999).contains(millisecond)
    }
}

/// A cursor over ASCII text for date parsing.
struct DigitReader {
    let bytes: [UInt8]
    var position = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var isAtEnd: Bool { position >= bytes.count }

    /// Consumes `scalar` when it is next.
    mutating func take(_ scalar: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(scalar.value) else { return false }
        position += 1
        return true
    }

    /// Exactly `count` digits.
    mutating func fixed(_ count: Int) -> Int? {
        guard position + count <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<count {
            let digit = bytes[position + offset] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        position += count
        return value
    }

    /// Between `minimum` and `maximum` digits, greedily; with the count read.
    mutating func digits(minimum: Int = 1, maximum: Int) -> (value: Int, count: Int)? {
        var value = 0
        var count = 0
        while count < maximum, position < bytes.count, bytes[position] &- UInt8(ascii: "0") < 10 {
            value = value * 10 + Int(bytes[position] &- UInt8(ascii: "0"))
            position += 1
            count += 1
        }
        return count >= minimum ? (value, count) : nil
    }

    /// 1…`maxDigits` fraction digits, as milliseconds (truncated).
    mutating func fraction(maxDigits: Int) -> Int? {
        guard let (value, count) = digits(maximum: maxDigits) else { return nil }
        var milliseconds = value
        if count < 3 {
            for _ in count..<3 { milliseconds *= 10 }
        } else {
            for _ in 3..<count { milliseconds /= 10 }
        }
        return milliseconds
    }

    /// `+1` or `-1` when a sign is next.
    mutating func sign() -> Int? {
        if take("+") { return 1 }
        if take("-") { return -1 }
        return nil
    }
}
