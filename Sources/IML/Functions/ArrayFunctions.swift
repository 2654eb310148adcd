/// Array functions (iml.md §7.5). Array arguments go through AsArray; inputs are never changed.
enum ArrayFunctions {
    static let all: [BuiltinFunction] = [
        BuiltinFunction("add", arity: BuiltinFunction.atLeast(2)) { arguments, _ in
            .array(arguments[0].asArray + arguments.dropFirst())
        },
        BuiltinFunction("deduplicate", arity: 1...1) { arguments, _ in
            .array(deduplicated(arguments[0].asArray) { $0 })
        },
        BuiltinFunction("distinct", arity: 1...2) { arguments, _ in
            let elements = arguments[0].asArray
            if arguments.count < 2 { return .array(deduplicated(elements) { $0 }) }
            let path = arguments[1]
            return .array(deduplicated(elements) { Lookup.path($0, path) })
        },
        BuiltinFunction("first", arity: 1...1) { arguments, _ in
            arguments[0].asArray.first ?? .undefined
        },
        BuiltinFunction("last", arity: 1...1) { arguments, _ in
            arguments[0].asArray.last ?? .undefined
        },
        BuiltinFunction("flatten", arity: 1...1) { arguments, _ in
            .array(
                arguments[0].asArray.flatMap { element -> [Value] in
                    if case .array(let inner) = element { return inner }
                    return [element]
                })
        },
        BuiltinFunction("join", arity: 1...2) { arguments, _ throws(FunctionFailure) in
            // An absent or Undefined separator is the default, as in JavaScript.
            let separator = arguments.count > 1 && !arguments[1].isUndefined ? arguments[1].text : ","
            var result = ""
            for (index, element) in arguments[0].asArray.enumerated() {
                if index > 0 { result += separator }
                element.appendText(to: &result)
                guard result.utf8.count <= Expression.sizeLimit else {
                    throw FunctionFailure(.limit, "the result of 'join' is larger than 16 MiB")
                }
            }
            return .string(result)
        },
        BuiltinFunction("keys", arity: 1...1) { arguments, _ in
            guard case .object(let object) = arguments[0] else { return .array([]) }
            return .array(object.keys.map(Value.string))
        },
        BuiltinFunction("map", arity: 2...4) { arguments, _ in
            .array(
                map(
                    arguments[0].asArray, path: arguments[1], filterPath: arguments[argument: 2],
                    filterValues: arguments[argument: 3], filtered: arguments.count > 2))
        },
        BuiltinFunction("merge", arity: BuiltinFunction.atLeast(1)) { arguments, _ in
            .array(arguments.flatMap(\.asArray))
        },
        BuiltinFunction("remove", arity: BuiltinFunction.atLeast(2)) { arguments, _ in
            let removed = Array(arguments.dropFirst())
            return .array(arguments[0].asArray.filter { !removed.contains($0) })
        },
        BuiltinFunction("reverse", arity: 1...1) { arguments, _ in
            .array(arguments[0].asArray.reversed())
        },
        BuiltinFunction("shuffle", arity: 1...1) { arguments, evaluation in
            var elements = arguments[0].asArray
            var index = elements.count - 1
            while index > 0 {
                let other = evaluation.context.randomSource.integer(below: index + 1)
                elements.swapAt(index, other)
                index -= 1
            }
            return .array(elements)
        },
        BuiltinFunction("slice", arity: 2...3) { arguments, _ in
            .array(slice(arguments[0].asArray, start: arguments[1], end: arguments[argument: 2]))
        },
        BuiltinFunction("sort", arity: 1...3) { arguments, _ in
            .array(
                ArraySorting.sort(
                    arguments[0].asArray, arguments[argument: 1], arguments[argument: 2],
                    count: arguments.count))
        },
        BuiltinFunction("toArray", arity: 1...1) { arguments, _ in
            guard case .object(let object) = arguments[0] else { return .array(arguments[0].asArray) }
            return .array(object.map { key, value in .object(["key": .string(key), "value": value]) })
        },
        BuiltinFunction("toCollection", arity: 3...3) { arguments, _ in
            var collection = Object()
            for element in arguments[0].asArray {
                let key = Lookup.path(element, arguments[1])
                switch key {
                case .undefined, .null: continue
                default: collection.updateValue(Lookup.path(element, arguments[2]), forKey: key.text)
                }
            }
            return .object(collection)
        },
    ]

    /// Keeps the first element for each distinct key (strict equality; NaN never equals itself).
    private static func deduplicated(_ elements: [Value], key: (Value) -> Value) -> [Value] {
        var seen = Set<Value>()
        return elements.filter { seen.insert(key($0)).inserted }
    }

    private static func map(
        _ elements: [Value], path: Value, filterPath: Value, filterValues: Value, filtered: Bool
    ) -> [Value] {
        var accepted: Set<String>? = nil
        if filtered {
            switch filterValues {
            case .array(let values):
                accepted = Set(values.map(\.text))
            default:
                let parts = TextSearch.split(filterValues.text, ",").map { String(NumericText.trimmed($0)) }
                accepted = Set(parts)
            }
        }
        var result: [Value] = []
        for element in elements {
            if let accepted {
                let filterValue = Lookup.path(element, filterPath)
                if filterValue.isUndefined || !accepted.contains(filterValue.text) { continue }
            }
            let value = Lookup.path(element, path)
            if !value.isUndefined { result.append(value) }
        }
        return result
    }

    /// JavaScript `Array.prototype.slice`.
    private static func slice(_ elements: [Value], start: Value, end: Value) -> [Value] {
        let count = elements.count
        func bound(_ value: Value, default fallback: Int) -> Int {
            if case .undefined = value { return fallback }
            var number = value.numericValue
            if number.isNaN { number = 0 }
            number = number.rounded(.towardZero)
            if number < 0 { return Int(max(0, Double(count) + number)) }
            return Int(min(Double(count), number))
        }
        let lower = bound(start, default: 0)
        let upper = bound(end, default: count)
        return lower < upper ? Array(elements[lower..<upper]) : []
    }
}
