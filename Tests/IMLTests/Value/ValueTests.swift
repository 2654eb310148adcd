import Testing

@testable import IML

@Suite("Value")
struct ValueTests {
    @Test func strictEquality() {
        #expect(Value.string("é") != Value.string("e\u{301}"))
        #expect(Value.number(0.0) == Value.number(-0.0))
        #expect(Value.number(.nan) != Value.number(.nan))
        #expect(Value.null != Value.undefined)
        #expect(Value.number(200) != Value.string("200"))
        let left: Value = ["a": 1, "b": [1, 2]]
        let right: Value = ["b": [1, 2], "a": 1]
        #expect(left == right)
        #expect(left.hashValue == right.hashValue)
    }

    @Test func objectKeepsOrderAndLooksUpLargeObjects() {
        var object = Object()
        for index in (0..<40).reversed() { object["k\(index)"] = .number(index) }
        #expect(object.keys.first == "k39")
        #expect(object["k7"] == .number(7))
        object["k7"] = .string("x")
        #expect(object.keys[32] == "k7")
        object["k7"] = nil
        #expect(object.count == 39)
        #expect(object["k7"] == nil)
        #expect(object["k6"] == .number(6))
    }

    @Test func appendingToAnArrayMemberKeepsOrderAndReplacesOtherValues() {
        var object: Object = ["a": 1, "list": [1], "b": "x"]
        object.append(2, toArrayAt: "list")
        object.append(3, toArrayAt: "b")  // not an array: replaced, in place
        object.append(4, toArrayAt: "new")
        #expect(object == ["a": 1, "list": [1, 2], "b": [3], "new": [4]])
        #expect(object.keys == ["a", "list", "b", "new"])
        let copy = object
        object.append(5, toArrayAt: "list")
        #expect(copy["list"] == [1, 2])  // value semantics: the copy is untouched
        #expect(object["list"] == [1, 2, 5])
        var large = Object((0..<40).map { ("k\($0)", Value.array([])) })  // indexed
        large.append("z", toArrayAt: "k39")
        large.append("n", toArrayAt: "k40")
        #expect(large["k39"] == ["z"] && large["k40"] == ["n"] && large.count == 41)
    }

    @Test func caseInsensitiveHeaders() {
        var headers: Object = ["x-api-key": "k1"]
        #expect(headers["X-Api-Key"] == nil)
        headers.ignoresKeyCase = true
        #expect(headers["X-Api-Key"] == .string("k1"))
    }

    @Test func instantISOText() {
        #expect(Instant(millisecondsSinceEpoch: 1_482_940_986_000).isoText == "2016-12-28T16:03:06.000Z")
        #expect(Instant.minimum.isoText == "0001-01-01T00:00:00.000Z")
        #expect(Instant.maximum.isoText == "9999-12-31T23:59:59.999Z")
        #expect(Instant(millisecondsSinceEpoch: -1).isoText == "1969-12-31T23:59:59.999Z")
    }
}
