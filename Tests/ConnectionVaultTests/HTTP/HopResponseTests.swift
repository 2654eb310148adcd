@testable import ConnectionVault
import Testing

/// The response head as the engine hands it over (raw bytes), parsed into fields on the caller's task.
@Suite("Response heads")
struct HopResponseTests {
    static func fields(_ block: [UInt8]) -> [HTTPHeader] {
        HopResponse(RawHopResponse(status: 200, headerBytes: block, body: [], activeTime: .zero)).headers
    }

    @Test func fieldsKeepTheirOrderRepeatsAndTrimmedValues() {
        let block = Array("Set-Cookie: a=1\r\nX-Spaced: \t v a l \t\r\nset-cookie:b=2\r\nEmpty:\r\nContent-Length: 3\r\n\r\n".utf8)
        #expect(Self.fields(block) == [
            HTTPHeader("Set-Cookie", "a=1"), HTTPHeader("X-Spaced", "v a l"), HTTPHeader("set-cookie", "b=2"),
            HTTPHeader("Empty", ""), HTTPHeader("Content-Length", "3"),
        ])
    }

    @Test func foldedLinesJoinTheFieldBeforeAndLinesWithoutAColonAreIgnored() {
        let block = Array("X-Folded: first\r\n  second\r\n\tthird\r\nno colon here\r\n continued nothing? no: it follows X-Folded\nLast: bare LF\n".utf8)
        #expect(Self.fields(block) == [
            HTTPHeader("X-Folded", "first second third continued nothing? no: it follows X-Folded"),
            HTTPHeader("Last", "bare LF"),
        ])
        #expect(Self.fields(Array("  folded before any field\r\n".utf8)).isEmpty)
        #expect(Self.fields([]).isEmpty)
        #expect(Self.fields(Array("A: no line end".utf8)) == [HTTPHeader("A", "no line end")])
    }

    @Test func textIsUTF8WhenValidElseLatin1() {
        let block: [UInt8] = Array("X-UTF8: caf\u{E9}\r\nX-Latin1: caf".utf8) + [0xE9] + Array("\r\n".utf8)
        #expect(Self.fields(block) == [HTTPHeader("X-UTF8", "café"), HTTPHeader("X-Latin1", "café")])
    }
}
