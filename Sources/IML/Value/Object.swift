/// An ordered map from string keys to IML values: insertion order is kept everywhere.
///
/// Keys are compared by their exact Unicode scalars (UTF-16 code units), never by canonical equivalence. Small
/// objects are searched linearly; larger ones keep a hash index, so lookups stay close to O(1).
public struct Object: Sendable {
    /// A key and its value.
    public struct Member: Sendable {
        /// The member's key.
        public var key: String
        /// The member's value.
        public var value: Value
    }

    /// The members in insertion order; one array, so that copying a small object costs a single retain.
    public private(set) var members: [Member]
    /// Key → position, built once the object grows past ``indexThreshold`` members.
    private var index: [ObjectKey: Int]?
    /// Whether lookups ignore ASCII case (the response `headers` object, iml.md §5.2). Not part of equality.
    public var ignoresKeyCase: Bool = false

    /// Member count above which lookups go through a hash index.
    static let indexThreshold = 12

    /// An empty object.
    public init() {
        members = []
    }

    /// An object with the given members in order; a repeated key keeps its first position and its last value.
    public init(_ members: some Sequence<(String, Value)>) {
        self.init(minimumCapacity: members.underestimatedCount)
        for (key, value) in members { updateValue(value, forKey: key) }
    }

    /// An empty object with room for `capacity` members.
    public init(minimumCapacity capacity: Int) {
        members = []
        members.reserveCapacity(capacity)
    }

    /// The keys in insertion order.
    public var keys: [String] { members.map(\.key) }

    /// The values in insertion order.
    public var values: [Value] { members.map(\.value) }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The position of `key`, or `nil`.
    public func position(of key: String) -> Int? {
        if let found = exactPosition(of: key) { return found }
        if ignoresKeyCase {
            for (position, member) in members.enumerated()
            where StringBytes.equalIgnoringASCIICase(member.key, key) {
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
            return members[position].value
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
    public mutating func updateValue(_ value: consuming Value, forKey key: consuming String) {
        if let position = exactPosition(of: key) {
            members[position].value = value
        } else {
            appendNew(value, forKey: key)
        }
    }

    /// Appends a member whose key the caller knows is not present (the JSON parser, which keeps a filter of the
    /// keys it has seen): no search.
    mutating func appendNew(_ value: consuming Value, forKey key: consuming String) {
        if index != nil { index?[ObjectKey(copy key)] = members.count }
        members.append(Member(key: key, value: value))  // the key and value move in: no copy
        if index == nil, members.count > Object.indexThreshold { buildIndex() }
    }

    /// Appends `element` to the array that is the value of exactly `key`, in place: neither the object nor the array
    /// is copied, so an array built element by element takes linear time. A missing key, or one whose value is not
    /// an array, gets `[element]` (in that member's place).
    public mutating func append(_ element: consuming Value, toArrayAt key: consuming String) {
        guard let position = exactPosition(of: key) else { return appendNew(.array([element]), forKey: key) }
        guard case .array(var elements) = members[position].value else {
            members[position].value = .array([element])
            return
        }
        members[position].value = .null  // `elements` now holds the array's only reference
        elements.append(element)
        members[position].value = .array(elements)
    }

    /// Removes `key`; returns its value, or `nil` when it was absent.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> Value? {
        guard let position = exactPosition(of: key) else { return nil }
        let removed = members.remove(at: position)
        if index != nil { buildIndex() }
        return removed.value
    }

    /// The position of exactly `key` (no case folding).
    private func exactPosition(of key: String) -> Int? {
        if let index { return index[ObjectKey(key)] }
        let count = key.utf8.count
        for position in members.indices where members[position].key.utf8.count == count {
            if StringBytes.equal(members[position].key, key) { return position }
        }
        return nil
    }

    private mutating func buildIndex() {
        var built = [ObjectKey: Int](minimumCapacity: members.count)
        for (position, member) in members.enumerated() { built[ObjectKey(member.key)] = position }
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
    public func makeIterator() -> Iterator {
        Iterator(base: members.makeIterator())
    }

    /// Members are visited in order.
    public var underestimatedCount: Int { members.count }

    /// Iterates `(key, value)` pairs in order.
    public struct Iterator: IteratorProtocol {
        var base: IndexingIterator<[Member]>

        public mutating func next() -> (key: String, value: Value)? {
            guard let member = base.next() else { return nil }
            return (member.key, member.value)
        }
    }
}

extension Object: Equatable {
    /// IML equality: the same key set with equal values; key order is ignored (iml.md §5.6).
    public static func == (lhs: Object, rhs: Object) -> Bool {
        guard lhs.count == rhs.count else { return false }
        // Copies of one object share their members' storage: equal without looking (as `Array` does).
        let sameStorage = lhs.members.withUnsafeBufferPointer { left in
            rhs.members.withUnsafeBufferPointer { right in left.baseAddress == right.baseAddress }
        }
        if sameStorage { return true }
        // Members are compared in place, by position (a closure over the elements themselves copies each one).
        let sameOrder = lhs.members.indices.allSatisfy { position in
            StringBytes.equal(lhs.members[position].key, rhs.members[position].key)
                && lhs.members[position].value == rhs.members[position].value
        }
        if sameOrder { return true }
        return lhs.members.indices.allSatisfy { position in
            guard let other = rhs.exactPosition(of: lhs.members[position].key) else { return false }
            return rhs.members[other].value == lhs.members[position].value
        }
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
