import Testing

@testable import IML

@Suite("Math functions")
struct MathFunctionTests {
    @Test(arguments: [
        ("abs(undefined)", "undefined"), ("abs(null)", "0"), ("abs('-3')", "3"), ("abs('x')", "undefined"),
        ("abs(body.nums)", "undefined"), ("ceil(-0.5)", "0"), ("floor('2.7')", "2"), ("trunc(true)", "1"),
        ("round(2.5)", "3"), ("round(-2.5)", "-2"), ("round(0.49999999999999994)", "0"), ("round('x')", "undefined"),
        ("round(1e300)", "1e+300"),
        ("average(emptyarray)", "undefined"), ("average('a', ' ', true, null)", "undefined"),
        ("average(body.tags)", "undefined"), ("average(' 4 ', 2)", "3"), ("max(1, '5', 'x', 3)", "5"),
        ("min(undefined)", "undefined"), ("min(-1, body.nums)", "-1"), ("median(emptyarray)", "undefined"),
        ("median(4, 1, 3, 2)", "2.5"), ("stdevP(emptyarray)", "undefined"), ("stdevP(5)", "0"),
        ("sum(emptyarray)", "0"), ("sum(undefined)", "0"), ("sum('1', '2')", "3"),
        ("sum(0.1, 0.2)", "0.30000000000000004"),
        ("formatNumber(undefined, 2)", "undefined"), ("formatNumber('abc', 2)", "undefined"),
        ("formatNumber(1 / 0, 2)", "undefined"), ("formatNumber(1.005, 2, '.', ',')", #""1.00""#),
        ("formatNumber(1.5, 0)", #""2""#), ("formatNumber(2.5, 0)", #""3""#), ("formatNumber(-2.5, 0)", #""-3""#),
        ("formatNumber(1234567.891, 2, ',', ' ')", #""1 234 567,89""#),
        ("formatNumber(0.5, 50)", #""0,50000000000000000000""#),
        ("formatNumber(5, -1)", #""5""#), ("formatNumber('1234.5', 1)", #""1.234,5""#),
        ("formatNumber(1e21, 0, '.', ',')", #""1,000,000,000,000,000,000,000""#),
        ("formatNumber(0.1, 20, '.', '')", #""0.10000000000000000555""#), ("formatNumber(true, 1)", "undefined"),
        ("parseNumber(5)", "5"), ("parseNumber(undefined)", "undefined"), ("parseNumber('-12.5kg')", "-12.5"),
        ("parseNumber('1.234.567')", "1.234"), ("parseNumber('1.234.567,8', ',')", "1234567.8"),
        ("parseNumber('- 5')", "-5"), ("parseNumber('.')", "undefined"), ("parseNumber('v2')", "2"),
        ("parseNumber(null)", "undefined"),
    ])
    func math(_ expression: String, _ expected: String) {
        #expect(Eval.show(expression) == expected)
    }
}
