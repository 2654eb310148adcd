/// An instant with millisecond precision: the payload of an IML Date (iml.md §1).
public struct Instant: Sendable, Hashable, Comparable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    /// The earliest instant IML represents, 0001-01-01T00:00:00.000Z.
    public static let minimum = Instant(millisecondsSinceEpoch: -62_135_596_800_000)
    /// The latest instant IML represents, 9999-12-31T23:59:59.999Z.
    public static let maximum = Instant(millisecondsSinceEpoch: 253_402_300_799_999)

    /// The instant `millisecondsSinceEpoch` ms after the Unix epoch.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The instant for a millisecond count given as a double, or `nil` outside years 1–9999 or when not finite.
    public init?(milliseconds: Double) {
        guard milliseconds.isFinite else { return nil }
        let truncated = milliseconds.rounded(.down)
        guard truncated >= Double(Instant.minimum.millisecondsSinceEpoch),
            truncated <= Double(Instant.maximum.millisecondsSinceEpoch)
        else { return nil }
        self.millisecondsSinceEpoch = Int64(truncated)
    }

    /// Whether the instant lies in years 1–9999.
    public var isInRange: Bool { self >= Instant.minimum && self <= Instant.maximum }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// ISO 8601 in UTC with milliseconds: `2016-12-28T16:03:06.000Z`.
    public var isoText: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendISOText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the ISO 8601 text of ``isoText`` (`2016-12-28T16:03:06.000Z`) as UTF-8 bytes.
    public func appendISOText(to out: inout [UInt8]) {
        let fields = CivilTime(instant: self, offsetSeconds: 0)
        func pad(_ value: Int, _ width: Int) {
            if value < 0 { out.append(UInt8(ascii: "-")) }
            // Digits written in place, right to left, into `width` zeros: no temporary array.
            let start = out.count
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
            var remaining = abs(value)
            var position = start + width - 1
            while position >= start, remaining > 0 {
                out[position] = UInt8(ascii: "0") &+ UInt8(remaining % 10)
                remaining /= 10
                position -= 1
            }
        }
        pad(fields.year, 4)
        out.append(UInt8(ascii: "-"))
        pad(fields.month, 2)
        out.append(UInt8(ascii: "-"))
        pad(fields.day, 2)
        out.append(UInt8(ascii: "T"))
        pad(fields.hour, 2)
        out.append(UInt8(ascii: ":"))
        pad(fields.minute, 2)
        out.append(UInt8(ascii: ":"))
        pad(fields.second, 2)
        out.append(UInt8(ascii: "."))
        pad(fields.millisecond, 3)
        out.append(UInt8(ascii: "Z"))
    }
}

extension Instant: CustomStringConvertible {
    public var description: String { isoText }
}

/// Broken-down wall-clock fields of an instant at a fixed UTC offset (proleptic Gregorian calendar).
struct CivilTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var millisecond: Int

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    /// The fields of `instant` shifted by `offsetSeconds`.
    init(instant: Instant, offsetSeconds: Int) {
        let local = instant.millisecondsSinceEpoch &+ Int64(offsetSeconds) &* 1000
        let (days, msOfDay) = CivilTime.floorDivide(local, 86_400_000)
        let date = CivilTime.civil(fromDays: days)
        self.init(
            year: date.year, month: date.month, day: date.day,
            hour: Int(msOfDay / 3_600_000), minute: Int(msOfDay / 60_000 % 60),
            second: Int(msOfDay / 1000 % 60), millisecond: Int(msOfDay % 1000))
    }

    /// Milliseconds since the epoch of these fields read as UTC; fields out of range roll over.
    var millisecondsAsUTC: Int64 {
        // Normalise the month first so that month 13 is January of the next year.
        let monthIndex = month - 1
        let yearCarry = monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12
        let normalisedYear = year + yearCarry
        let normalisedMonth = monthIndex - yearCarry * 12 + 1
        let days = CivilTime.days(fromYear: normalisedYear, month: normalisedMonth, day: 1) &+ Int64(day &- 1)
        let time =
            Int64(hour) &* 3_600_000 &+ Int64(minute) &* 60_000 &+ Int64(second) &* 1000 &+ Int64(millisecond)
        return days &* 86_400_000 &+ time
    }

    /// Day of the week, 0 = Sunday.
    var weekday: Int {
        let days = CivilTime.days(fromYear: year, month: month, day: day)
        let (_, remainder) = CivilTime.floorDivide(days + 4, 7)  // 1970-01-01 was a Thursday
        return Int(remainder)
    }

    /// Floor division and the non-negative remainder (`divisor` > 0); never overflows.
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(fromYear year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// Whether `year` is a Gregorian leap year.
    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days in `month` of `year`.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
