import Testing

@testable import IML

@Suite("Number form")
struct NumberFormattingTests {
    @Test(arguments: [
        (5.0, "5"), (2.5, "2.5"), (0.1 + 0.2, "0.30000000000000004"), (1e21, "1e+21"), (100.0, "100"),
        (123_456_789_012_345_680_000.0, "123456789012345680000"), (123.456, "123.456"), (0.5, "0.5"),
        (0.000001, "0.000001"), (1e-7, "1e-7"), (1.5e-10, "1.5e-10"), (-0.0, "0"), (-2.5, "-2.5"),
        (.nan, "NaN"), (.infinity, "Infinity"), (-.infinity, "-Infinity"),
        (1152921504606846976.0, "1152921504606847000"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (Double.leastNonzeroMagnitude, "5e-324"),
        (1e20, "100000000000000000000"),
        (-1e-7, "-1e-7"), (123e-20, "1.23e-18"), (0.00001234, "0.00001234"),
    ])
    func formats(value: Double, expected: String) {
        #expect(NumberFormatting.javaScriptText(value) == expected)
        #expect(Number(value).description == expected)
    }

    @Test func exactIntegers() {
        #expect(Number(Int64.max).description == "9223372036854775807")
        #expect(Number(Int64.max).isExactBigInteger)
        #expect(!Number(9_007_199_254_740_992).isExactBigInteger)
        #expect(Number(integerText: "-00012") == Number(-12.0))
        #expect(Number(integerText: "98765432109876543210")?.description == "98765432109876543210")
        #expect(Number(integerText: "12a") == nil)
    }
}
