/// An ordered map from string keys to IML values: insertion order is kept everywhere.
///
/// Keys are compared by their exact Unicode scalars (UTF-16 code units), never by canonical equivalence. Small
/// objects are searched linearly; larger ones keep a hash index, so lookups stay close to O(1).
public struct Object: Sendable {
    /// The keys in insertion order.
    public private(set) var keys: [String]
    /// The values, parallel to ``keys``.
    public private(set) var values: [Value]
    /// Key → position, built once the object grows past ``indexThreshold`` members.
    private var index: [ObjectKey: Int]?
    /// Whether lookups ignore ASCII case (the response `headers` object, iml.md §5.2). Not part of equality.
    public var ignoresKeyCase: Bool = false

    /// Member count above which lookups go through a hash index.
    static let indexThreshold = 12

    /// An empty object.
    public init() {
        keys = []
        values = []
    }

    /// An object with the given members in order; a repeated key keeps its first position and its last value.
    public init(_ members: some Sequence<(String, Value)>) {
        self.init()
        for (key, value) in members { self[key] = value }
    }

    /// An empty object with room for `capacity` members.
    public init(minimumCapacity capacity: Int) {
        self.init()
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// The position of `key`, or `nil`.
    public func position(of key: String) -> Int? {
        if let index {
            if let found = index[ObjectKey(key)] { return found }
        } else {
            for (position, candidate) in keys.enumerated() where StringBytes.equal(candidate, key) {
                return position
            }
        }
        if ignoresKeyCase {
            for (position, candidate) in keys.enumerated() where StringBytes.equalIgnoringASCIICase(candidate, key) {
                return position
            }
        }
        return nil
    }

    /// The value of `key`, or `nil` when absent; setting `nil` removes the member, setting a value replaces it in
    /// place or appends it.
    public subscript(key: String) -> Value? {
        get {
            guard let position = position(of: key) else { return nil }
            return values[position]
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Sets the value of `key`, in place when present (the key keeps its position), else appended.
    public mutating func updateValue(_ value: Value, forKey key: String) {
        if let position = exactPosition(of: key) {
            values[position] = value
        } else {
            appendNew(key, value)
        }
    }

    /// Appends a member whose key the caller knows is absent.
    mutating func appendNew(_ key: String, _ value: Value) {
        keys.append(key)
        values.append(value)
        if index != nil {
            index?[ObjectKey(key)] = keys.count - 1
        } else if keys.count > Object.indexThreshold {
            buildIndex()
        }
    }

    /// Removes `key`; returns its value, or `nil` when it was absent.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> Value? {
        guard let position = exactPosition(of: key) else { return nil }
        keys.remove(at: position)
        let removed = values.remove(at: position)
        if index != nil { buildIndex() }
        return removed
    }

    /// The position of exactly `key` (no case folding).
    private func exactPosition(of key: String) -> Int? {
        if let index { return index[ObjectKey(key)] }
        return keys.firstIndex { StringBytes.equal($0, key) }
    }

    private mutating func buildIndex() {
        var built = [ObjectKey: Int](minimumCapacity: keys.count)
        for (position, key) in keys.enumerated() { built[ObjectKey(key)] = position }
        index = built
    }
}

/// A dictionary key that compares strings by their exact bytes.
struct ObjectKey: Hashable, Sendable {
    let text: String
    init(_ text: String) { self.text = text }
    static func == (lhs: ObjectKey, rhs: ObjectKey) -> Bool { StringBytes.equal(lhs.text, rhs.text) }
    // String's hash is consistent with byte equality: equal bytes are canonically equivalent.
    func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

extension Object: Sequence {
    /// Iterates the members in order.
    public func makeIterator() -> Zip2Sequence<[String], [Value]>.Iterator {
        zip(keys, values).makeIterator()
    }

    /// Members are visited in order.
    public var underestimatedCount: Int { keys.count }
}

extension Object: Equatable {
    /// IML equality: the same key set with equal values; key order is ignored (iml.md §5.6).
    public static func == (lhs: Object, rhs: Object) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.keys.elementsEqual(rhs.keys, by: StringBytes.equal) {
            return lhs.values == rhs.values
        }
        for (key, value) in lhs {
            guard let position = rhs.exactPosition(of: key), rhs.values[position] == value else { return false }
        }
        return true
    }
}

extension Object: Hashable {
    public func hash(into hasher: inout Hasher) {
        // Order-independent, to agree with equality.
        var combined = 0
        for (key, value) in self {
            var member = Hasher()
            member.combine(key)
            member.combine(value)
            combined = combined &+ member.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension Object: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(elements)
    }
}
