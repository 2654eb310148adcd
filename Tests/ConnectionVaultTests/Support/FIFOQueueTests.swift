@testable import ConnectionVault
import Testing

@Suite("FIFO queue")
struct FIFOQueueTests {
    @Test func elementsComeOutInTheOrderTheyWentIn() {
        var queue = FIFOQueue<Int>()
        #expect(queue.isEmpty && queue.popFirst() == nil)
        var expected = 0
        var next = 0
        // Interleave appends and takes so that the storage is compacted many times over.
        for round in 0..<500 {
            for _ in 0..<(round % 7 + 1) {
                queue.append(next)
                next += 1
            }
            for _ in 0..<(round % 5 + 1) {
                guard let value = queue.popFirst() else { break }
                #expect(value == expected)
                expected += 1
            }
            #expect(queue.count == next - expected)
        }
        queue.append(contentsOf: [next, next + 1])
        next += 2
        while let value = queue.popFirst() {
            #expect(value == expected)
            expected += 1
        }
        #expect(expected == next && queue.isEmpty && queue.count == 0)
    }

    @Test func removingByPredicateTakesTheFirstMatchAndKeepsTheRestInOrder() {
        var queue = FIFOQueue<Int>()
        queue.append(contentsOf: 0..<100)
        for _ in 0..<70 { _ = queue.popFirst() }
        #expect(queue.removeFirst(where: { $0 % 10 == 5 }) == 75)
        #expect(queue.removeFirst(where: { $0 == 3 }) == nil)  // already taken
        var rest: [Int] = []
        while let value = queue.popFirst() { rest.append(value) }
        #expect(rest == Array(70..<75) + Array(76..<100))
    }

    @Test func takenElementsAreReleasedAtOnce() {
        final class Tracked {}
        var queue = FIFOQueue<Tracked>()
        weak var first: Tracked?
        do {
            let tracked = Tracked()
            first = tracked
            queue.append(tracked)
            queue.append(Tracked())
        }
        _ = queue.popFirst()
        #expect(first == nil, "the queue must not keep a taken element alive")
        #expect(queue.count == 1)
    }
}
