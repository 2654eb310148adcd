/// `sort(array, [order], [path])` (iml.md §7.5): a stable sort by kind, then value.
enum ArraySorting {
    private static let orders: Set<String> = ["asc", "desc", "asc ci", "desc ci"]

    static func sort(_ elements: [Value], _ second: Value, _ third: Value, count: Int) -> [Value] {
        var descending = false
        var caseInsensitive = false
        var path: Value? = nil
        if case .string(let word) = second, orders.contains(word) {
            descending = word.hasPrefix("desc")
            caseInsensitive = word.hasSuffix(" ci")
        } else if !second.isUndefined && !second.isNull {
            path = second
        }
        if path == nil && count >= 3 && !third.isUndefined && !third.isNull {
            path = third
        }
        let keys: [Value] = elements.map { element in
            var key = path.map { Lookup.path(element, $0) } ?? element
            if caseInsensitive, case .string(let text) = key { key = .string(text.lowercased()) }
            return key
        }
        let order = Array(elements.indices).sorted { left, right in
            let comparison = compare(keys[left], keys[right], descending: descending)
            return comparison != 0 ? comparison < 0 : left < right
        }
        return order.map { elements[$0] }
    }

    /// Kind rank: numbers, strings, booleans, dates, other values; Undefined separately (always last).
    private static func rank(_ value: Value) -> Int {
        switch value {
        case .number: 0
        case .string: 1
        case .bool: 2
        case .date: 3
        default: 4
        }
    }

    /// Negative, zero or positive like a comparator; Undefined sorts last in both directions.
    private static func compare(_ left: Value, _ right: Value, descending: Bool) -> Int {
        switch (left.isUndefined, right.isUndefined) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        default: break
        }
        var result: Int
        let leftRank = rank(left)
        let rightRank = rank(right)
        if leftRank != rightRank {
            result = leftRank < rightRank ? -1 : 1
        } else {
            switch (left, right) {
            case (.number(let a), .number(let b)):
                // NaN sorts after every other number, so the order stays a strict weak ordering.
                switch (a.double.isNaN, b.double.isNaN) {
                case (true, true): result = 0
                case (true, false): result = 1
                case (false, true): result = -1
                default: result = a.double < b.double ? -1 : (a.double > b.double ? 1 : 0)
                }
            case (.string(let a), .string(let b)):
                result = StringBytes.lessThanUTF16(a, b) ? -1 : (StringBytes.equal(a, b) ? 0 : 1)
            case (.bool(let a), .bool(let b)):
                result = a == b ? 0 : (a ? 1 : -1)
            case (.date(let a), .date(let b)):
                result = a < b ? -1 : (a == b ? 0 : 1)
            default:
                result = 0
            }
        }
        return descending ? -result : result
    }
}

extension Value {
    /// Whether the value is Null.
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
