import Testing

@testable import IML

@Suite("JSON functions")
struct JSONFunctionTests {
    @Test(arguments: [
        ("createJSON(undefined)", "undefined"), ("createJSON(null)", #""null""#),
        ("createJSON('a\"b')", #""\"a\\\"b\"""#),
        ("createJSON(body.nums)", #""[3,1,2,3]""#), ("createJSON(now)", #""\"2016-12-28T16:03:06.000Z\"""#),
        ("createJSON(1 / 0)", #""null""#), ("createJSON(toBinary('Make'))", #""\"TWFrZQ==\"""#),
        ("parseJSON(undefined)", "undefined"), ("parseJSON(5)", "undefined"), ("parseJSON('')", "undefined"),
        ("parseJSON('{\"a\":1,\"a\":2}').a", "2"), ("parseJSON('[1, 2]')[2]", "2"), ("parseJSON('null')", "null"),
        ("parseJSON(toBinary('{\"n\":5}')).n", "5"), ("parseJSON('{\"a\":1} x')", "undefined"),
        ("parseJSON('\"s\"')", #""s""#),
        // parseJSON numbers are doubles, unlike spec JSON.
        ("parseJSON('9007199254740993')", "9007199254740992"),
    ])
    func json(_ expression: String, _ expected: String) {
        #expect(Eval.show(expression) == expected)
    }
}
