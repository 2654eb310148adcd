/// An IML value: one of the nine kinds of iml.md §1.
///
/// Values are immutable and compared by IML strict equality (`==`, iml.md §5.6): strings by code units, numbers
/// by IEEE value (so `NaN != NaN`), objects by key set and values with key order ignored.
public enum Value: Sendable {
    /// A missing value: unknown variable, absent key, out-of-range index.
    case undefined
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number (a double, or an exact big integer).
    case number(Number)
    /// Unicode text.
    case string(String)
    /// An ordered list of values.
    case array([Value])
    /// An ordered string-keyed map.
    case object(Object)
    /// An instant with millisecond precision.
    case date(Instant)
    /// A byte string.
    case binary([UInt8])
}

extension Value {
    /// A number value from a double.
    public static func number(_ double: Double) -> Value { .number(Number(double)) }

    /// A number value from an integer, exact even beyond 2^53.
    public static func number(_ integer: Int) -> Value { .number(Number(integer)) }

    /// Whether the value is Undefined.
    public var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// The string payload, or `nil` for other kinds.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The object payload, or `nil` for other kinds.
    public var objectValue: Object? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The array payload, or `nil` for other kinds.
    public var arrayValue: [Value]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The number payload, or `nil` for other kinds.
    public var numberValue: Number? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// The Boolean payload, or `nil` for other kinds.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The kind's name as the spec writes it: `undefined`, `null`, `boolean`, `number`, `string`, `array`,
    /// `object`, `date`, `binary`.
    public var kindName: String {
        switch self {
        case .undefined: "undefined"
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        case .date: "date"
        case .binary: "binary"
        }
    }

    /// Member lookup for JSON-like navigation: the member of an Object, else `nil`.
    public subscript(key: String) -> Value? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}

extension Value: Equatable {
    /// IML strict equality (iml.md §5.6).
    ///
    /// One value is switched on at a time: matching a tuple `(lhs, rhs)` copies both values into it, a retain and a
    /// release of every payload per comparison.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch lhs {
        case .undefined: if case .undefined = rhs { return true }
        case .null: if case .null = rhs { return true }
        case .bool(let left): if case .bool(let right) = rhs { return left == right }
        case .number(let left): if case .number(let right) = rhs { return left == right }
        case .string(let left): if case .string(let right) = rhs { return StringBytes.equal(left, right) }
        case .array(let left): if case .array(let right) = rhs { return left == right }
        case .object(let left): if case .object(let right) = rhs { return left == right }
        case .date(let left): if case .date(let right) = rhs { return left == right }
        case .binary(let left): if case .binary(let right) = rhs { return left == right }
        }
        return false
    }
}

extension Value: Hashable {
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .undefined: hasher.combine(0 as UInt8)
        case .null: hasher.combine(1 as UInt8)
        case .bool(let flag):
            hasher.combine(2 as UInt8)
            hasher.combine(flag)
        case .number(let number):
            hasher.combine(3 as UInt8)
            hasher.combine(number)
        case .string(let text):
            hasher.combine(4 as UInt8)
            hasher.combine(text)
        case .array(let elements):
            hasher.combine(5 as UInt8)
            hasher.combine(elements)
        case .object(let object):
            hasher.combine(6 as UInt8)
            hasher.combine(object)
        case .date(let instant):
            hasher.combine(7 as UInt8)
            hasher.combine(instant)
        case .binary(let bytes):
            hasher.combine(8 as UInt8)
            hasher.combine(bytes)
        }
    }
}

extension Value: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// `nil` is JSON `null`.
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Number(value)) }
    public init(floatLiteral value: Double) { self = .number(Number(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) { self = .object(Object(elements)) }
}

extension Value: CustomStringConvertible {
    /// Compact JSON, or `undefined` for Undefined.
    public var description: String { compactJSON() }
}
