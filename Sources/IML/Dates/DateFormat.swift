/// Moment-style date format strings (iml.md §7.6): tokenizing, formatting and parsing.
struct DateFormat {
    enum Token: String, CaseIterable {
        case year4 = "YYYY"
        case year2 = "YY"
        case month = "M"
        case month2 = "MM"
        case monthShort = "MMM"
        case monthLong = "MMMM"
        case day = "D"
        case day2 = "DD"
        case dayOrdinal = "Do"
        case weekdayShort = "ddd"
        case weekdayLong = "dddd"
        case hour = "H"
        case hour2 = "HH"
        case hour12 = "h"
        case hour12Padded = "hh"
        case meridiemUpper = "A"
        case meridiemLower = "a"
        case minute = "m"
        case minute2 = "mm"
        case second = "s"
        case second2 = "ss"
        case millisecond = "SSS"
        case offset = "Z"
        case offsetCompact = "ZZ"
        case unixSeconds = "X"
        case unixMilliseconds = "x"
    }

    enum Part: Equatable {
        case literal(String)
        case token(Token)
    }

    let parts: [Part]
    /// The first letter (other than `T`) that the format leaves as literal text outside `[…]`: Make tokens the
    /// vault does not implement (`Q`, `d`, `E`, `w`, `k`, `L`, …), which the linter warns about.
    let firstUnimplementedLetter: String?

    /// Tokens longest first, so that the longest token at each position wins.
    private static let tokensByLength: [(Token, [Unicode.Scalar])] = Token.allCases
        .map { ($0, Array($0.rawValue.unicodeScalars)) }
        .sorted { $0.1.count > $1.1.count }

    init(_ format: String) {
        let scalars = Array(format.unicodeScalars)
        var parts: [Part] = []
        var unimplemented: String? = nil
        var literal = String.UnicodeScalarView()
        var index = 0
        func flush() {
            if !literal.isEmpty {
                parts.append(.literal(String(literal)))
                literal = String.UnicodeScalarView()
            }
        }
        scanning: while index < scalars.count {
            if scalars[index] == "[" {
                if let close = scalars[(index + 1)...].firstIndex(of: "]") {
                    literal.append(contentsOf: scalars[(index + 1)..<close])
                    index = close + 1
                    continue
                }
            }
            for (token, text) in DateFormat.tokensByLength
            where index + text.count <= scalars.count && scalars[index..<(index + text.count)].elementsEqual(text) {
                flush()
                parts.append(.token(token))
                index += text.count
                continue scanning
            }
            literal.append(scalars[index])
            let scalar = scalars[index]
            if unimplemented == nil && scalar.isASCII && scalar.properties.isAlphabetic && scalar != "T" {
                unimplemented = String(scalar)
            }
            index += 1
        }
        flush()
        self.parts = parts
        self.firstUnimplementedLetter = unimplemented
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    // MARK: Formatting

    /// The text of `instant` in `zone`.
    func format(_ instant: Instant, zone: ZoneRules) -> String {
        let offset = zone.offsetSeconds(at: instant)
        let fields = CivilTime(instant: instant, offsetSeconds: offset)
        var out = ""
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(abs(value))
            let padded = text.count < width ? String(repeating: "0", count: width - text.count) + text : text
            return value < 0 ? "-" + padded : padded
        }
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .token(let token):
                switch token {
                case .year4: out += pad(fields.year, 4)
                case .year2: out += pad(fields.year % 100, 2)
                case .month: out += String(fields.month)
                case .month2: out += pad(fields.month, 2)
                case .monthShort: out += String(DateFormat.monthNames[fields.month - 1].prefix(3))
                case .monthLong: out += DateFormat.monthNames[fields.month - 1]
                case .day: out += String(fields.day)
                case .day2: out += pad(fields.day, 2)
                case .dayOrdinal: out += String(fields.day) + DateFormat.ordinalSuffix(fields.day)
                case .weekdayShort: out += String(DateFormat.weekdayNames[fields.weekday].prefix(3))
                case .weekdayLong: out += DateFormat.weekdayNames[fields.weekday]
                case .hour: out += String(fields.hour)
                case .hour2: out += pad(fields.hour, 2)
                case .hour12: out += String(fields.hour % 12 == 0 ? 12 : fields.hour % 12)
                case .hour12Padded: out += pad(fields.hour % 12 == 0 ? 12 : fields.hour % 12, 2)
                case .meridiemUpper: out += fields.hour < 12 ? "AM" : "PM"
                case .meridiemLower: out += fields.hour < 12 ? "am" : "pm"
                case .minute: out += String(fields.minute)
                case .minute2: out += pad(fields.minute, 2)
                case .second: out += String(fields.second)
                case .second2: out += pad(fields.second, 2)
                case .millisecond: out += pad(fields.millisecond, 3)
                case .offset, .offsetCompact:
                    let sign = offset < 0 ? "-" : "+"
                    let hours = pad(abs(offset) / 3600, 2)
                    let minutes = pad(abs(offset) / 60 % 60, 2)
                    out += sign + hours + (token == .offset ? ":" : "") + minutes
                case .unixSeconds:
                    out += String(CivilTime.floorDivide(instant.millisecondsSinceEpoch, 1000).0)
                case .unixMilliseconds:
                    out += String(instant.millisecondsSinceEpoch)
                }
            }
        }
        return out
    }

    static func ordinalSuffix(_ day: Int) -> String {
        if (11...13).contains(day % 100) { return "th" }
        switch day % 10 {
        case 1: return "st"
        case 2: return "nd"
        case 3: return "rd"
        default: return "th"
        }
    }
}
