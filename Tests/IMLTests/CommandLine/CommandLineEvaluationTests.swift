import Testing

@testable import IML

@Suite("eval command core")
struct CommandLineEvaluationTests {
    private func run(_ template: String, _ context: String? = nil) throws(CommandLineEvaluationError) -> String? {
        try CommandLineEvaluation.evaluate(
            template: template, contextJSON: context.map { Array($0.utf8) }, now: Eval.clock)
    }

    @Test func templateIsJSONWhenTheWholeArgumentParses() throws {
        #expect(try run(#"{"a":"{{x}}"}"#, #"{"x":1}"#) == #"{"a":1}"#)
        #expect(try run(#""{{x}}""#, #"{"x":1}"#) == "1")
        #expect(try run("5") == "5")
        #expect(try run("{{x}}", #"{"x":"s"}"#) == #""s""#)
        #expect(try run("[{{x}}]", #"{"x":1}"#) == #""[1]""#)
        #expect(try run("Bearer {{x}}", #"{"x":"t"}"#) == #""Bearer t""#)
        #expect(try run("{{nope}}") == nil)
        #expect(try run(#"{"a":"{{nope}}"}"#) == "{}")
    }

    @Test func contextControlsClockAndZone() throws {
        #expect(try run("{{timestamp}}", #"{"$now":"2020-01-01T00:00:00Z"}"#) == "1577836800")
        #expect(try run("{{`$now`}}", #"{"$now":"2020-01-01T00:00:00Z"}"#) == nil)
        #expect(try run("{{timestamp}}") == "1482940986")
        #expect(
            try run("{{formatDate(now, 'HH:mm')}}", #"{"environment":{"timezone":"Europe/Prague"}}"#) == #""17:03""#)
        #expect(try run("{{headers.`X-Key`}}", #"{"headers":{"x-key":"k"}}"#) == #""k""#)
    }

    @Test func badContexts() {
        #expect(throws: CommandLineEvaluationError.self) { try run("{{x}}", "{") }
        #expect(throws: CommandLineEvaluationError.invalidContext("the context must be a JSON object")) {
            try run("{{x}}", "[1]")
        }
        #expect(throws: CommandLineEvaluationError.invalidContext("$now must be an ISO 8601 date")) {
            try run("{{x}}", #"{"$now":"soon"}"#)
        }
    }

    @Test func errorsCarryCodeColumnAndToken() {
        do {
            _ = try run(#"{"a":"{{1 +}}","b":"{{nope(1)}}"}"#)
            Issue.record("no error")
        } catch {
            guard case .iml(let errors) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(errors.map(\.code) == [.syntax, .unknownFunction])
            #expect(error.description.contains("E_SYNTAX at a, column 6"))
            #expect(error.description.contains("near '}}'"))
        }
        #expect(throws: CommandLineEvaluationError.self) { try run(#"{"{{...}}":"{{5}}"}"#) }
    }
}
