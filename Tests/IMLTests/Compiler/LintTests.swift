import Testing

@testable import IML

@Suite("Linter warnings")
struct LintTests {
    @Test func warnings() {
        let document: Value = [
            "url": "https://x/{{parameters.host}}/{{path",
            "auth": "Bearer {{parameters.token",
            "ok": "{{parameters.a}} {{'{{'}}",
            "{{parameters.key}}": 1,
            "{{...}}": "{{temp.extra}}",
            "when": "{{formatDate(now, 'YYYY-MM-DD[T]HH:mm Q')}}",
            "iso": "{{formatDate(now, 'YYYY-MM-DDTHH:mm:ss')}}",
            "uid": ["{{connection.id}}"],
            "broken": "{{foo(}} {{",
        ]
        let warnings = CompiledDocument.warnings(in: document, location: "communication")
        #expect(
            warnings.map(\.kind) == [
                .literalOpenBraces, .literalOpenBraces, .literalKeyWithBraces, .unimplementedFormatLetter,
                .connectionVariable, .literalOpenBraces,
            ])
        #expect(
            warnings.map(\.location) == [
                "communication.url", "communication.auth", #"communication["{{parameters.key}}"]"#,
                "communication.when", "communication.uid[0]", "communication.broken",
            ])
        // The tag that does not compile is skipped; the literal "{{" after it is still reported.
        #expect(warnings.map(\.column) == [31, 8, 1, 19, 3, 10])
        #expect(warnings[3].message.contains("'Q'"))
        #expect(
            warnings[1].description
                == #"IML warning W_LITERAL_BRACES at communication.auth, column 8: '{{' stays literal text; "#
                + #"is a tag unterminated? near '{{' in "Bearer {{parameters.token""#)
    }

    @Test func formatLetters() {
        #expect(DateFormat("YYYY-MM-DD").firstUnimplementedLetter == nil)
        #expect(DateFormat("[Week] w").firstUnimplementedLetter == "w")
        #expect(DateFormat("d MMM").firstUnimplementedLetter == "d")
        #expect(DateFormat("YYYY-MM-DDTHH:mm").firstUnimplementedLetter == nil)
    }
}
