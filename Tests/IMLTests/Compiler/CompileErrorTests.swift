import Testing

@testable import IML

@Suite("Compile errors")
struct CompileErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let template: String
        let code: IMLError.Code
        let column: Int
        let token: String
        var testDescription: String { template }
    }

    @Test(arguments: [
        Case(template: "{{1 +}}", code: .syntax, column: 6, token: "}}"),
        Case(template: "{{foo(1)}}", code: .unknownFunction, column: 3, token: "foo"),
        Case(template: "Basic {{bas64(parameters.user)}}", code: .unknownFunction, column: 9, token: "bas64"),
        Case(template: "{{a ? b : c}}", code: .unsupported, column: 5, token: "?"),
        Case(template: "{{a : b}}", code: .unsupported, column: 5, token: ":"),
        Case(template: "{{ifempty(body.message; 'x')}}", code: .unsupported, column: 23, token: ";"),
        Case(template: "{{md5()}}", code: .arity, column: 3, token: "md5"),
        Case(template: "{{md5(1, 2)}}", code: .arity, column: 3, token: "md5"),
        Case(template: "{{switch(1, 2)}}", code: .arity, column: 3, token: "switch"),
        Case(template: "{{}}", code: .emptyTag, column: 1, token: "{{"),
        Case(template: "x {{  }}", code: .emptyTag, column: 3, token: "{{"),
        Case(template: "{{{x}}}", code: .unsupported, column: 3, token: "{"),
        Case(template: "{{[1, 2]}}", code: .unsupported, column: 3, token: "["),
        Case(template: "{{a += 1}}", code: .unsupported, column: 5, token: "+="),
        Case(template: "{{a => 1}}", code: .unsupported, column: 5, token: "=>"),
        Case(template: "{{a & b}}", code: .unsupported, column: 5, token: "&"),
        Case(template: "{{a | b}}", code: .unsupported, column: 5, token: "|"),
        Case(template: "{{a << 2}}", code: .unsupported, column: 5, token: "<<"),
        Case(template: "{{~a}}", code: .unsupported, column: 3, token: "~"),
        Case(template: "{{a ^ b}}", code: .unsupported, column: 5, token: "^"),
        Case(template: "{{first(x)(y)}}", code: .syntax, column: 11, token: "("),
        Case(template: "{{body.f(1)}}", code: .syntax, column: 9, token: "("),
        Case(template: "{{if(a, b,)}}", code: .syntax, column: 11, token: ")"),
        Case(template: "{{(1 + 2}}", code: .syntax, column: 9, token: "}}"),
        Case(template: "{{a[1}}", code: .syntax, column: 6, token: "}}"),
        Case(template: "{{a.}}", code: .syntax, column: 5, token: "}}"),
        Case(template: "{{true(1)}}", code: .syntax, column: 3, token: "true"),
        Case(template: "{{1 2}}", code: .syntax, column: 5, token: "2"),
        Case(template: "{{a # b}}", code: .syntax, column: 5, token: "#"),
        Case(template: "{{replace(x, '/a(/g', 'b')}}", code: .regex, column: 14, token: "'/a(/g'"),
        Case(template: "{{replace(x, '/a/x', 'b')}}", code: .regex, column: 14, token: "'/a/x'"),
        Case(template: "{{replace(x, '/(?<n>a)/', 'b')}}", code: .regex, column: 14, token: "'/(?<n>a)/'"),
        Case(template: "{{sha256(x, 'hexx')}}", code: .encoding, column: 13, token: "'hexx'"),
        Case(template: "{{sha1(x, 'hex', 'k', 'utf16')}}", code: .encoding, column: 23, token: "'utf16'"),
        Case(template: "{{toBinary(x, 'latin2')}}", code: .encoding, column: 15, token: "'latin2'"),
        Case(template: "😀 {{nope()}}", code: .unknownFunction, column: 5, token: "nope"),
    ])
    func reports(_ expected: Case) throws {
        let problems = Template.problems(in: expected.template, location: "headers.x")
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.phase == .compile)
        #expect(problem.code == expected.code)
        #expect(problem.column == expected.column)
        #expect(problem.token == expected.token)
        #expect(problem.location == "headers.x")
        #expect(problem.template == expected.template)
        #expect(throws: problem) { try Template(expected.template, location: "headers.x") }
    }

    @Test func textForm() throws {
        let problem = try #require(
            Template.problems(
                in: "Basic {{bas64(parameters.user)}}", location: "communication[0].headers.authorization"
            ).first)
        #expect(
            problem.description
                == #"IML compile error E_UNKNOWN_FUNCTION at communication[0].headers.authorization, column 9: "#
                + #"unknown function 'bas64' near 'bas64' in "Basic {{bas64(parameters.user)}}""#)
    }

    @Test func nestingLimit() {
        let deep = "{{" + String(repeating: "(", count: 70) + "1" + String(repeating: ")", count: 70) + "}}"
        #expect(Template.problems(in: deep).first?.code == .limit)
        let fine = "{{" + String(repeating: "(", count: 30) + "1" + String(repeating: ")", count: 30) + "}}"
        #expect(Template.problems(in: fine).isEmpty)
        let nots = "{{" + String(repeating: "!", count: 100) + "x}}"
        #expect(Template.problems(in: nots).first?.code == .limit)
    }

    @Test func lengthLimit() {
        let long = "{{x}}" + String(repeating: "a", count: 70_000)
        let problem = Template.problems(in: long).first
        #expect(problem?.code == .limit)
        #expect(problem?.column == 1)
        #expect(problem.map { $0.template.unicodeScalars.count <= 202 } == true)
        // A long string without tags is plain text.
        #expect(Template.problems(in: String(repeating: "a", count: 70_000)).isEmpty)
    }

    @Test func longOperatorChainsDoNotRecurse() throws {
        let chain = "{{" + Array(repeating: "1", count: 5000).joined(separator: " + ") + "}}"
        #expect(try Template(chain).evaluate(in: EvaluationContext()) == .number(5000))
    }

    @Test func everyProblemOfADocument() {
        let document: Value = [
            "url": "{{parameters.host}}/{{nope(1)}}",
            "headers": ["a": "{{md5()}}", "b": "ok {{x}}", "X-Key": "{{1 +}} and {{a ? b : c}}"],
            "list": ["{{x}}", "{{}}"],
            "{{...}}": "{{foo(}}",
        ]
        let problems = CompiledDocument.problems(in: document, location: "communication")
        #expect(
            problems.map(\.location) == [
                "communication.url", "communication.headers.a", "communication.headers.X-Key",
                "communication.headers.X-Key", "communication.list[1]", #"communication["{{...}}"]"#,
            ])
        #expect(problems.map(\.code) == [.unknownFunction, .arity, .syntax, .unsupported, .emptyTag, .unknownFunction])
        #expect(problems.map(\.column) == [23, 3, 6, 17, 1, 3])
        #expect(throws: IMLCompileErrors(problems)) { try CompiledDocument(document, location: "communication") }
    }

    @Test func notCompileErrors() {
        for template in [
            "{{parameters.unknown.key}}", "{{md5(1, ) }", "Bearer {{parameters.token", "[{body.code}}]", "}} {{",
            "{{1 / 0}}", "{{'a' * 2}}", "{{sha256(x, encodingVariable)}}", "{{replace(x, pattern, 'y')}}",
            "{{replace(x, '/api/v1', 'y')}}", "{{ x }}", "{{`my var`}}", "{{body.2fa}}", "{{'}}'}}",
        ] {
            #expect(Template.problems(in: template).isEmpty, "\(template)")
        }
    }
}
