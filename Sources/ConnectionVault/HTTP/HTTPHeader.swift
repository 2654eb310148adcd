/// One header field as sent or received: the name as written and its value.
///
/// `description` never shows the value, which may be a credential.
package struct HTTPHeader: Sendable, Hashable, CustomStringConvertible {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    package var description: String { "\(name): <\(value.utf8.count) bytes>" }

    /// Whether the field is called `other`, compared without regard to ASCII case.
    package func hasName(_ other: String) -> Bool { HTTPSyntax.namesEqual(name, other) }
}

extension Array where Element == HTTPHeader {
    /// The value of the first field called `name` (case-insensitive), if any.
    package func first(named name: String) -> String? {
        // Compared in place: `first(where:)` hands its closure a copy of each field (two retained strings).
        for index in indices where HTTPSyntax.namesEqual(self[index].name, name) { return self[index].value }
        return nil
    }

    /// Every value of the fields called `name` (case-insensitive), in order.
    package func values(named name: String) -> [String] {
        filter { HTTPSyntax.namesEqual($0.name, name) }.map(\.value)
    }

    /// Removes every field whose lower-cased name is in `names` (which must be lower-cased).
    package mutating func removeAll(namedAnyOf names: Set<String>) {
        removeAll { names.contains(HTTPSyntax.lowercased($0.name)) }
    }

    /// Replaces every field called `name` by one field with `value`, placed where the first one was (or at the end).
    package mutating func set(_ name: String, _ value: String) {
        if let index = firstIndex(where: { HTTPSyntax.namesEqual($0.name, name) }) {
            self[index] = HTTPHeader(name, value)
            var position = index + 1
            while position < count {
                if HTTPSyntax.namesEqual(self[position].name, name) { remove(at: position) } else { position += 1 }
            }
        } else {
            append(HTTPHeader(name, value))
        }
    }
}
