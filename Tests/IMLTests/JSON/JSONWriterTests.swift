import Testing

@testable import IML

@Suite("Compact JSON")
struct JSONWriterTests {
    @Test func writesLikeJSONStringify() {
        let object: Value = [
            "s": "a\"b\\c\u{8}\u{c}\n\r\t\u{1}/é😀",
            "u": .undefined,
            "arr": [.undefined, .null, .number(.nan), .number(.infinity), 1.5],
            "d": .date(Instant(millisecondsSinceEpoch: 1_482_940_986_000)),
            "b": .binary(Array("Make".utf8)),
        ]
        #expect(
            object.compactJSON()
                == #"{"s":"a\"b\\c\b\f\n\r\t\u0001/é😀","arr":[null,null,null,null,1.5],"#
                + #""d":"2016-12-28T16:03:06.000Z","b":"TWFrZQ=="}"#)
        #expect(Value.undefined.compactJSONIfDefined() == nil)
        #expect(Value.undefined.compactJSON() == "null")
    }

    @Test func roundTrips() throws {
        let text = #"{"id":12345678901234567890,"n":-0.5,"list":[true,false,null,"x"],"o":{}}"#
        #expect(try Value(parsingJSON: text).compactJSON() == text)
    }
}
