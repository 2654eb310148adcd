/// A first-in, first-out queue on one array: taking the first element is O(1) (amortised), where
/// `Array.removeFirst()` moves every element that is left.
///
/// Taken elements are released at once; their slots are reclaimed when at least half of the storage is taken.
struct FIFOQueue<Element> {
    private var storage: [Element?] = []
    private var head = 0

    init() {}

    var isEmpty: Bool { head == storage.count }

    /// The number of elements waiting.
    var count: Int { storage.count - head }

    mutating func append(_ element: Element) {
        storage.append(element)
    }

    mutating func append(contentsOf elements: some Sequence<Element>) {
        for element in elements { storage.append(element) }
    }

    /// Takes the first element, if any.
    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head].take()
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Removes and returns the first waiting element that satisfies `predicate`.
    mutating func removeFirst(where predicate: (Element) throws -> Bool) rethrows -> Element? {
        for index in head..<storage.count where try predicate(storage[index]!) {
            return storage.remove(at: index)
        }
        return nil
    }
}

extension FIFOQueue: Sendable where Element: Sendable {}
