/// Date functions (iml.md §7.6): formatting, parsing, and calendar arithmetic in the default time zone.
enum DateFunctions {
    static let all: [BuiltinFunction] = [
        BuiltinFunction("formatDate", arity: 2...3) { arguments, evaluation in
            guard let defaultZone = evaluation.defaultZone(),
                let instant = DateArgument.instant(arguments[0], zone: defaultZone),
                let zone = evaluation.zone(argument: arguments.count > 2 ? arguments[2] : nil)
            else { return .undefined }
            return .string(DateFormat(arguments[1].text).format(instant, zone: zone))
        },
        BuiltinFunction("parseDate", arity: 1...3) { arguments, evaluation in
            guard let zone = evaluation.zone(argument: arguments.count > 2 ? arguments[2] : nil) else {
                return .undefined
            }
            let format = arguments[argument: 1]
            if format.isUndefined || format.isNull {
                return DateArgument.instant(arguments[0], zone: zone).map(Value.date) ?? .undefined
            }
            let parsed = DateFormat(format.text).parse(arguments[0].text, zone: zone, now: evaluation.context.now)
            return parsed.map(Value.date) ?? .undefined
        },
        exactAddition("addSeconds", unit: 1000),
        exactAddition("addMinutes", unit: 60_000),
        exactAddition("addHours", unit: 3_600_000),
        calendarAddition("addDays") { fields, amount in fields.day += amount },
        calendarAddition("addMonths") { fields, amount in
            fields.addMonths(amount)
        },
        calendarAddition("addYears") { fields, amount in
            fields.addMonths(amount * 12)
        },
        setter("setSecond") { fields, value, _ in fields.second = value },
        setter("setMinute") { fields, value, _ in fields.minute = value },
        setter("setHour") { fields, value, _ in fields.hour = value },
        setter("setDate") { fields, value, _ in fields.day = value },
        setter("setMonth", names: DateFormat.monthNames) { fields, value, _ in
            fields.addMonths(value - fields.month)
        },
        setter("setDay", names: DateFormat.weekdayNames) { fields, value, _ in
            fields.day += (value - 1) - fields.weekday
        },
        setter("setYear") { fields, value, _ in fields.addMonths((value - fields.year) * 12) },
    ]

    /// Largest `n` accepted by the add/set functions; anything beyond leaves years 1–9999 anyway.
    private static let amountLimit = 1e12

    /// `addSeconds`/`addMinutes`/`addHours`: exact milliseconds.
    private static func exactAddition(_ name: String, unit: Double) -> BuiltinFunction {
        BuiltinFunction(name, arity: 2...2) { arguments, evaluation in
            let amount = arguments[1].numericValue
            guard let zone = evaluation.defaultZone(), let instant = DateArgument.instant(arguments[0], zone: zone),
                amount.isFinite, abs(amount) <= amountLimit
            else { return .undefined }
            let milliseconds = Double(instant.millisecondsSinceEpoch) + (amount * unit).rounded()
            return Instant(milliseconds: milliseconds).map(Value.date) ?? .undefined
        }
    }

    /// `addDays`/`addMonths`/`addYears`: wall-clock arithmetic in the default zone, `n` rounded half away from 0.
    private static func calendarAddition(
        _ name: String, _ apply: @escaping @Sendable (inout CivilTime, Int) -> Void
    ) -> BuiltinFunction {
        BuiltinFunction(name, arity: 2...2) { arguments, evaluation in
            let amount = arguments[1].numericValue
            guard let zone = evaluation.defaultZone(), let instant = DateArgument.instant(arguments[0], zone: zone),
                amount.isFinite, abs(amount) <= amountLimit
            else { return .undefined }
            var fields = zone.civilTime(instant)
            apply(&fields, Int(amount.rounded()))
            let result = zone.instant(fields)
            return result.isInRange ? .date(result) : .undefined
        }
    }

    /// `setSecond` … `setYear`: set a field in the default zone, `n` truncated; out-of-range values roll over.
    private static func setter(
        _ name: String, names: [String] = [], _ apply: @escaping @Sendable (inout CivilTime, Int, ZoneRules) -> Void
    ) -> BuiltinFunction {
        BuiltinFunction(name, arity: 2...2) { arguments, evaluation in
            guard let zone = evaluation.defaultZone(), let instant = DateArgument.instant(arguments[0], zone: zone)
            else { return .undefined }
            var value: Int
            if case .string(let text) = arguments[1], let index = nameIndex(text, names) {
                value = index + 1
            } else {
                let number = arguments[1].numericValue
                guard number.isFinite, abs(number) <= amountLimit else { return .undefined }
                value = Int(number.rounded(.towardZero))
            }
            var fields = zone.civilTime(instant)
            apply(&fields, value, zone)
            let result = zone.instant(fields)
            return result.isInRange ? .date(result) : .undefined
        }
    }

    /// The index of a full or three-letter English name, any case.
    private static func nameIndex(_ text: String, _ names: [String]) -> Int? {
        let lowered = text.lowercased()
        return names.firstIndex { $0.lowercased() == lowered || $0.prefix(3).lowercased() == lowered }
    }
}

extension CivilTime {
    /// Moves by `months` calendar months, clamping the day to the target month's length.
    mutating func addMonths(_ months: Int) {
        let total = year * 12 + (month - 1) + months
        let (newYear, monthIndex) = CivilTime.floorDivide(Int64(total), 12)
        year = Int(newYear)
        month = Int(monthIndex) + 1
        day = min(day, CivilTime.daysInMonth(year: year, month: month))
    }
}
