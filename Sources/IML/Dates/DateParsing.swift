/// `parseDate` with a format (iml.md §7.6).
extension DateFormat {
    /// The fields read from text; `nil` fields were not in the format.
    private struct Reading {
        var year: Int?
        var month: Int?
        var day: Int?
        var hour: Int?
        var minute: Int?
        var second: Int?
        var millisecond: Int?
        var twelveHour = false
        var postMeridiem: Bool?
        var offsetSeconds: Int?
        var instant: Instant?
    }

    /// The instant `text` denotes under this format, local time in `zone` unless the text has an offset; missing
    /// leading fields come from `now` in `zone`. `nil` when the text does not match or a field is out of range.
    func parse(_ text: String, zone: ZoneRules, now: Instant) -> Instant? {
        guard var reading = read(text) else { return nil }
        if let instant = reading.instant { return instant.isInRange ? instant : nil }
        if reading.twelveHour, let hour = reading.hour {
            guard (1...12).contains(hour) else { return nil }
            if let postMeridiem = reading.postMeridiem {
                reading.hour = postMeridiem ? (hour == 12 ? 12 : hour + 12) : (hour == 12 ? 0 : hour)
            }
        }
        let current = zone.civilTime(now)
        let present: [Int?] = [
            reading.year, reading.month, reading.day, reading.hour, reading.minute, reading.second,
            reading.millisecond,
        ]
        let currentValues = [
            current.year, current.month, current.day, current.hour, current.minute, current.second,
            current.millisecond,
        ]
        let firstPresent = present.firstIndex { $0 != nil } ?? present.count
        var values: [Int] = []
        for index in present.indices {
            if let value = present[index] {
                values.append(value)
            } else if index < firstPresent {
                values.append(currentValues[index])
            } else {
                // Month and day default to 1 (moment's January is its month 0), the time fields to 0.
                values.append(index == 1 || index == 2 ? 1 : 0)
            }
        }
        let fields = CivilTime(
            year: values[0], month: values[1], day: values[2], hour: values[3], minute: values[4],
            second: values[5], millisecond: values[6])
        guard fields.isValid else { return nil }
        let instant: Instant
        if let offset = reading.offsetSeconds {
            instant = Instant(millisecondsSinceEpoch: fields.millisecondsAsUTC - Int64(offset) * 1000)
        } else {
            instant = zone.instant(fields)
        }
        return instant.isInRange ? instant : nil
    }

    private func read(_ text: String) -> Reading? {
        var reader = DigitReader(text)
        var reading = Reading()
        for part in parts {
            switch part {
            case .literal(let literal):
                for byte in literal.utf8 {
                    guard reader.position < reader.bytes.count, reader.bytes[reader.position] == byte else {
                        return nil
                    }
                    reader.position += 1
                }
            case .token(let token):
                guard readToken(token, &reader, &reading) else { return nil }
            }
        }
        return reading
    }

    private func readToken(_ token: Token, _ reader: inout DigitReader, _ reading: inout Reading) -> Bool {
        switch token {
        case .year4:
            guard let (value, _) = reader.digits(maximum: 4) else { return false }
            reading.year = value
        case .year2:
            guard let value = reader.fixed(2) else { return false }
            reading.year = value <= 68 ? 2000 + value : 1900 + value
        case .month, .month2:
            guard let (value, _) = reader.digits(maximum: 2) else { return false }
            reading.month = value
        case .monthShort, .monthLong:
            guard let index = readName(DateFormat.monthNames, &reader) else { return false }
            reading.month = index + 1
        case .day, .day2:
            guard let (value, _) = reader.digits(maximum: 2) else { return false }
            reading.day = value
        case .dayOrdinal:
            guard let (value, _) = reader.digits(maximum: 2) else { return false }
            reading.day = value
            for suffix in ["st", "nd", "rd", "th"] where reader.takeIgnoringCase(suffix) { break }
        case .weekdayShort, .weekdayLong:
            guard readName(DateFormat.weekdayNames, &reader) != nil else { return false }
        case .hour, .hour2:
            guard let (value, _) = reader.digits(maximum: 2) else { return false }
            reading.hour = value
        case .hour12, .hour12Padded:
            guard let (value, _) = reader.digits(maximum: 2) else { return false }
            reading.hour = value
            reading.twelveHour = true
        case .meridiemUpper, .meridiemLower:
            if reader.takeIgnoringCase("am") {
                reading.postMeridiem = false
            } else if reader.takeIgnoringCase("pm") {
                reading.postMeridiem = true
            } else {
                return false
            }
        case .minute, .minute2:
            guard let (value, _) = reader.digits(maximum: 2) else { return false }
            reading.minute = value
        case .second, .second2:
            guard let (value, _) = reader.digits(maximum: 2) else { return false }
            reading.second = value
        case .millisecond:
            guard let value = reader.fraction(maxDigits: 3) else { return false }
            reading.millisecond = value
        case .offset, .offsetCompact:
            if reader.take("Z") || reader.take("z") {
                reading.offsetSeconds = 0
            } else {
                guard let sign = reader.sign(), let hours = reader.fixed(2) else { return false }
                _ = reader.take(":")
                guard let minutes = reader.fixed(2), hours <= 23, minutes <= 59 else { return false }
                reading.offsetSeconds = sign * (hours * 3600 + minutes * 60)
            }
        case .unixSeconds:
            let start = reader.position
            _ = reader.take("-")
            guard reader.digits(maximum: 15) != nil else { return false }
            if reader.take(".") { _ = reader.digits(maximum: 9) }
            let slice = reader.bytes[start..<reader.position]
            let seconds = slice.withUnsafeBufferPointer { DecimalText.double($0) }
            guard let instant = Instant(milliseconds: (seconds * 1000).rounded(.down)) else { return false }
            reading.instant = instant
        case .unixMilliseconds:
            let negative = reader.take("-")
            guard let (value, _) = reader.digits(maximum: 16) else { return false }
            guard let instant = Instant(milliseconds: Double(negative ? -value : value)) else { return false }
            reading.instant = instant
        }
        return true
    }

    /// Reads a full or three-letter English name in any case; its index.
    private func readName(_ names: [String], _ reader: inout DigitReader) -> Int? {
        for (index, name) in names.enumerated() where reader.takeIgnoringCase(name) { return index }
        for (index, name) in names.enumerated() where reader.takeIgnoringCase(String(name.prefix(3))) {
            return index
        }
        return nil
    }
}

extension DigitReader {
    /// Consumes `word` (ASCII) when it is next, ignoring case.
    mutating func takeIgnoringCase(_ word: String) -> Bool {
        let expected = Array(word.utf8)
        guard position + expected.count <= bytes.count else { return false }
        for (offset, byte) in expected.enumerated()
        where StringBytes.lowerASCII(bytes[position + offset]) != StringBytes.lowerASCII(byte) {
            return false
        }
        position += expected.count
        return true
    }
}
