/// Member and index lookup (iml.md §5.2, §5.3) and the paths of `get`, `map` and friends (§7.1).
enum Lookup {
    /// The member `key` of `value`: object members, array positions and `length`, string `length`.
    static func member(_ value: Value, _ key: String) -> Value {
        switch value {
        case .object(let object):
            return object[key] ?? .undefined
        case .array(let elements):
            if let position = canonicalInteger(key) { return element(elements, position) }
            if key == "length" { return .number(elements.count) }
            return .undefined
        case .string(let text):
            return key == "length" ? .number(text.utf16.count) : .undefined
        default:
            return .undefined
        }
    }

    /// `value[index]`: 1-based positions (negative from the end) on arrays, keys on objects.
    static func index(_ value: Value, _ index: Value) -> Value {
        switch index {
        case .number(let number):
            switch value {
            case .array(let elements):
                let double = number.double
                guard double == double.rounded(.towardZero), abs(double) <= 1e15 else { return .undefined }
                return element(elements, Int(double))
            case .object(let object):
                return object[number.description] ?? .undefined
            default:
                return .undefined
            }
        case .string(let key):
            return member(value, key)
        default:
            return .undefined
        }
    }

    /// The element at a 1-based position, `-1` being the last; Undefined when out of range or 0.
    static func element(_ elements: [Value], _ position: Int) -> Value {
        if position > 0 && position <= elements.count { return elements[position - 1] }
        if position < 0 && -position <= elements.count { return elements[elements.count + position] }
        return .undefined
    }

    /// `x[]`: the first element of an array.
    static func first(_ value: Value) -> Value {
        if case .array(let elements) = value, let first = elements.first { return first }
        return .undefined
    }

    /// The integer written canonically in `key` (`"1"`, `"-1"`; no `+`, no leading zeros), or `nil`.
    static func canonicalInteger(_ key: String) -> Int? {
        let utf8 = key.utf8
        guard let first = utf8.first, utf8.count <= 16 else { return nil }
        var digits = Substring(key).utf8[...]
        var negative = false
        if first == UInt8(ascii: "-") {
            negative = true
            digits = digits.dropFirst()
        }
        guard let lead = digits.first, lead &- UInt8(ascii: "0") < 10 else { return nil }
        if lead == UInt8(ascii: "0") { return digits.count == 1 && !negative ? 0 : nil }
        var value = 0
        for byte in digits {
            guard byte &- UInt8(ascii: "0") < 10 else { return nil }
            value = value * 10 + Int(byte &- UInt8(ascii: "0"))
        }
        return negative ? -value : value
    }

    /// The value at `path` in `target`: a String split on `.` (member lookups), or a Number (one index lookup).
    static func path(_ target: Value, _ path: Value) -> Value {
        switch path {
        case .string(let text):
            guard !text.isEmpty else { return .undefined }
            var current = target
            for segment in text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
                current = member(current, String(decoding: segment, as: UTF8.self))
                if case .undefined = current { return .undefined }
            }
            return current
        case .number:
            return index(target, path)
        default:
            return .undefined
        }
    }
}
