import Testing

@testable import IML

@Suite("Operators and conversions")
struct OperatorTests {
    @Test(arguments: [
        // + and text conversion
        ("1 + 2", "3"), ("'a' + null", #""a""#), ("'a' + undefined", #""a""#), ("null + 1", "1"),
        ("undefined + 1", "NaN"), ("true + 1", "2"), ("'x' + body.nums", #""x[3,1,2,3]""#),
        ("body.obj + 'x'", #""{\"a\":1,\"b\":null,\"c\":\"x\"}x""#), ("'' + now", #""2016-12-28T16:03:06.000Z""#),
        ("now + 1000", "1482940987000"), ("'' + 0.000001", #""0.000001""#), ("'' + 1e-7", #""1e-7""#),
        ("'' + -0", #""0""#), ("'' + 100", #""100""#), ("'' + 123456789012345680000", #""123456789012345680000""#),
        ("'' + toBinary('Make')", #""Make""#), ("'' + (1 / 0)", #""Infinity""#), ("'' + (-1 / 0)", #""-Infinity""#),
        ("'' + (0 / 0)", #""NaN""#), ("body.nums + 1", "NaN"),
        // arithmetic
        ("-5 % 3", "-2"), ("5 % -3", "2"), ("5.5 % 2", "1.5"), ("1 / 0", "Infinity"), ("'6' / '2'", "3"),
        ("'12px' * 1", "NaN"), ("' 12 ' * 1", "12"), ("'1e3' * 1", "1000"), ("'.5' * 2", "1"), ("'0x1F' * 1", "31"),
        ("'0b101' * 1", "5"), ("'0o17' * 1", "15"), ("'-Infinity' * 1", "-Infinity"), ("'' * 1", "0"),
        ("'-0x10' * 1", "NaN"), ("'1_000' * 1", "NaN"), ("'Infinityx' * 1", "NaN"), ("null * 5", "0"),
        ("-'3'", "-3"), ("-body.nums", "NaN"), ("2 * 3 + 4 * 5", "26"), ("2 * (3 + 4) * 5", "70"),
        ("10 - 2 - 3", "5"), ("-2 * 3", "-6"), ("- - 2", "2"), ("1 - -1", "2"),
        // comparisons
        ("'B' < 'a'", "true"), ("null < 1", "true"), ("undefined < 1", "false"), ("'abc' < 1", "false"),
        ("'10' > 9", "true"), ("2 >= 2", "true"), ("'a' <= 'a'", "true"), ("now > 0", "true"),
        ("'😀' > '\u{FFFF}'", "false"), ("1 < 2 < 3", "true"),
        // equality
        ("200 == '200'", "false"), ("null == undefined", "false"), ("undefined === undefined", "true"),
        ("(0 / 0) == (0 / 0)", "false"), ("0 == -0", "true"), ("body.nums == body.nums", "true"),
        ("body.obj = parseJSON('{\"c\":\"x\",\"b\":null,\"a\":1}')", "true"), ("body.obj != body.users", "true"),
        ("toBinary('a') == toBinary('a')", "true"), ("now === parseDate('2016-12-28T16:03:06.000Z')", "true"),
        ("1 == 1 == true", "true"), ("emptyarray == emptyarray", "true"), ("emptystring === ''", "true"),
        ("'a' !== 'a'", "false"),
        // truthiness and logic
        ("!''", "true"), ("!'0'", "false"), ("!' '", "false"), ("!body.obj", "false"), ("!(0 / 0)", "true"),
        ("!toBinary('')", "false"), ("!now", "false"), ("!!body.nums", "true"), ("!-0", "true"),
        ("body.missing || 'us'", #""us""#), ("0 || '' || null", "null"), ("1 && 'x'", #""x""#),
        ("'' && jwt(1, '')", #""""#), ("1 || jwt(1, '')", "1"), ("true || false && false", "true"),
        ("!body.error && 1 === 1", "true"),
    ])
    func evaluates(_ expression: String, _ expected: String) {
        let shown = Eval.show(expression)
        if expected == "NaN" || expected == "Infinity" || expected == "-Infinity" {
            let value = try? Eval.expression(expression)
            #expect(value?.numberValue.map { Number($0.double).description } == expected)
        } else {
            #expect(shown == expected)
        }
    }

    @Test func bigIntegersStayExact() throws {
        let variables = try Value(parsingJSON: #"{"id":12345678901234567890,"small":9007199254740993}"#)
        #expect(
            try Template("{{body.id}}").evaluate(in: Eval.context(["body": variables])).compactJSON()
                == "12345678901234567890")
        #expect(
            try Template("id={{body.id}}").evaluate(in: Eval.context(["body": variables]))
                == "id=12345678901234567890")
        #expect(Eval.show("body.small == 9007199254740993", ["body": variables]) == "true")
        #expect(Eval.show("body.small == 9007199254740992", ["body": variables]) == "false")
        #expect(Eval.show("-9007199254740993", ["body": variables]) == "-9007199254740993")
        // Arithmetic uses the double value.
        #expect(Eval.show("body.small + 0", ["body": variables]) == "9007199254740992")
    }
}
