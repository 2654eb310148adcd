/// Math functions (iml.md §7.7).
enum MathFunctions {
    static let all: [BuiltinFunction] = [
        unary("abs") { abs($0) },
        unary("ceil") { $0.rounded(.up) },
        unary("floor") { $0.rounded(.down) },
        unary("trunc") { $0.rounded(.towardZero) },
        unary("round") { value in
            // JavaScript Math.round: halves go towards +∞.
            let lower = value.rounded(.down)
            return value - lower >= 0.5 ? lower + 1 : lower
        },
        aggregate("average") { numbers in
            numbers.isEmpty ? nil : numbers.reduce(0, +) / Double(numbers.count)
        },
        aggregate("max") { $0.max() },
        aggregate("min") { $0.min() },
        aggregate("median") { numbers in
            guard !numbers.isEmpty else { return nil }
            let sorted = numbers.sorted()
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        },
        aggregate("stdevP") { numbers in
            guard !numbers.isEmpty else { return nil }
            let mean = numbers.reduce(0, +) / Double(numbers.count)
            let variance = numbers.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(numbers.count)
            return variance.squareRoot()
        },
        aggregate("sum") { $0.reduce(0, +) },
        BuiltinFunction("formatNumber", arity: 2...4) { arguments, _ in
            numericFormat(arguments)
        },
        BuiltinFunction("parseNumber", arity: 1...2) { arguments, _ in
            if case .number = arguments[0] { return arguments[0] }
            let separator: String
            switch arguments[argument: 1] {
            case .undefined, .null: separator = "."
            case let value: separator = value.text.isEmpty ? "." : value.text
            }
            return NumberParsing.parse(arguments[0].text, decimalSeparator: separator).map(Value.number) ?? .undefined
        },
    ]

    private static func unary(_ name: String, _ operation: @escaping @Sendable (Double) -> Double) -> BuiltinFunction {
        BuiltinFunction(name, arity: 1...1) { arguments, _ in
            let result = operation(arguments[0].numericValue)
            return result.isNaN ? .undefined : .number(result)
        }
    }

    private static func aggregate(_ name: String, _ operation: @escaping @Sendable ([Double]) -> Double?)
        -> BuiltinFunction
    {
        BuiltinFunction(name, arity: BuiltinFunction.atLeast(1)) { arguments, _ in
            let values: [Value]
            if arguments.count == 1, case .array(let elements) = arguments[0] {
                values = elements
            } else {
                values = arguments
            }
            let numbers = values.compactMap { value -> Double? in
                switch value {
                case .number(let number): return number.double.isNaN ? nil : number.double
                case .string(let text):
                    guard !NumericText.trimmed(text).isEmpty else { return nil }
                    let number = NumericText.javaScriptNumber(text)
                    return number.isNaN ? nil : number
                default: return nil
                }
            }
            guard let result = operation(numbers), !result.isNaN else { return .undefined }
            return .number(result)
        }
    }

    /// `formatNumber(number, decimals, [decimalSeparator], [thousandsSeparator])`.
    private static func numericFormat(_ arguments: [Value]) -> Value {
        let number: Double
        switch arguments[0] {
        case .number(let value): number = value.double
        case .string(let text) where !NumericText.trimmed(text).isEmpty: number = NumericText.javaScriptNumber(text)
        default: return .undefined
        }
        guard number.isFinite else { return .undefined }
        var decimals = arguments[1].numericValue
        if decimals.isNaN { decimals = 0 }
        let places = Int(max(0, min(20, decimals.rounded(.towardZero))))
        let decimalSeparator = arguments.count > 2 && !arguments[2].isUndefined ? arguments[2].text : ","
        let thousandsSeparator = arguments.count > 3 && !arguments[3].isUndefined ? arguments[3].text : "."
        let digits = FixedPoint.digits(of: abs(number), places: places)
        var integerPart = String(digits.dropLast(places))
        if integerPart.isEmpty { integerPart = "0" }
        let fraction = String(digits.suffix(places))
        var grouped = ""
        for (index, character) in integerPart.enumerated() {
            if index > 0 && (integerPart.count - index) % 3 == 0 { grouped += thousandsSeparator }
            grouped.append(character)
        }
        var result = number < 0 ? "-" : ""
        result += grouped
        if places > 0 { result += decimalSeparator + fraction }
        return .string(result)
    }
}
