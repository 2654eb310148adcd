import Foundation
import IML
import Testing

@testable import ConnectionVault

@Suite("Redactor: derived forms and order")
struct RedactorTests {
    /// Every ASCII character alone, and non-ASCII text: Foundation's two sets are among the forms, byte for byte.
    static let samples = (0..<128).map { String(UnicodeScalar(UInt8($0))) } + ["é", "ß", "日本", "a\u{301}", "😀", "p-w+d!~ é"]

    @Test(arguments: samples) func foundationsEncodingsAreAmongTheForms(text: String) {
        let forms = RequestEncoding.percentEncodedForms(of: text)
        #expect(forms.contains(text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!))
        #expect(forms.contains(text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!))
        #expect(forms.contains(RequestEncoding.encodeComponent(text)))
    }

    @Test func imlEncodeURLIsAmongTheForms() throws {
        for text in Self.samples {
            let encoded = try Template("{{encodeURL(t)}}").evaluate(in: EvaluationContext(variables: ["t": .string(text)]))
            #expect(RequestEncoding.percentEncodedForms(of: text).contains(encoded.text), "\(text)")
        }
    }

    /// Forms other clients and servers write: a space as `+` (HTML forms) and lower-case hex digits.
    @Test func formsWithPlusForSpaceAndLowerCaseHexAreAmongTheForms() {
        let forms = RequestEncoding.percentEncodedForms(of: "a b/ü")
        for form in ["a+b%2Fü", "a%20b/%C3%BC", "a+b%2f%c3%bc", "a%20b%2f%c3%bc", "a%20b/%c3%bc"] where form != "a+b%2Fü" {
            #expect(forms.contains(form), "\(form)")
        }
        #expect(forms.contains("a+b%2F%C3%BC"))
    }

    /// Two secrets of the same length in characters, the longer in bytes containing the shorter: the longer goes
    /// first, whatever order the set gives them. Sorting by `Character` count tied them (2 each), so `e<redacted>`
    /// could remain.
    @Test func theLongerSecretInBytesIsReplacedFirst() {
        for _ in 0..<20 {
            let redactor = Redactor(spec: Self.spec, parameters: [:], common: ["a": "e\u{301}x", "b": "\u{301}x"])
            #expect(redactor.redact("[e\u{301}x]") == "[<redacted>]")
        }
    }

    /// Two secrets that overlap without either containing the other leave nothing of either (replacing them one
    /// after the other left `ghi` of `defghi`); touching occurrences keep a mask each.
    @Test func overlappingSecretsAreMaskedAsOne() {
        let redactor = Redactor(spec: Self.spec, parameters: [:], common: ["a": "abcdef", "b": "defghi", "c": "zzz"])
        #expect(redactor.redact("x abcdefghi y") == "x <redacted> y")
        #expect(redactor.redact("abcdefabcdef.") == "<redacted><redacted>.")
        #expect(redactor.redact("zzzz") == "<redacted>")
        #expect(redactor.redact("nothing here") == "nothing here")
    }

    static let spec = try! ConnectionSpec.check(
        name: "t", label: nil, communication: ["url": "https://example.com/"],
        parameters: [["name": "token", "type": "password"]], common: nil, source: "t")

    @Test func aSecretContainingAnotherIsReplacedWholeWhateverTheOrderOfArrival() {
        var redactor = Redactor(spec: Self.spec, parameters: ["token": "abc"], common: Object())
        redactor.add("Bearer abc-ü")  // longer in bytes than in characters
        redactor.add("x")
        #expect(redactor.redact("h: Bearer abc-ü; t: abc") == "h: <redacted>; t: <redacted>")
        #expect(redactor.redact("q=Bearer%20abc-%C3%BC") == "q=<redacted>")  // a derived value's encoded form
        let lengths = redactor.secrets.map(\.utf8.count)
        #expect(lengths == lengths.sorted(by: >))
        #expect(Set(redactor.secrets).count == redactor.secrets.count)
    }
}
