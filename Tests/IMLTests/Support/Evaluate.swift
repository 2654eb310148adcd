import Testing

@testable import IML

/// Test helpers for evaluating templates with the conventions of iml.md (UTC, clock 2016-12-28T16:03:06.000Z).
enum Eval {
    static let clock = Instant(millisecondsSinceEpoch: 1_482_940_986_000)

    /// The example context of iml.md §7.1.
    static let exampleContext: Value = try! Value(
        parsingJSON: #"""
            {"body":{"nums":[3,1,2,3],"tags":["b","a","B"],
            "users":[{"id":1,"name":"Ann","role":"admin"},{"id":2,"name":"bob","role":"user"},
            {"id":3,"name":"Cid","role":"admin"}],"nested":[1,[2,[3]]],"obj":{"a":1,"b":null,"c":"x"},
            "raw":"{\"n\":5}","d":"2016-12-28T16:03:06.000Z"}}
            """#)

    static func context(_ variables: Value = exampleContext, timeZone: String? = nil) -> EvaluationContext {
        EvaluationContext(
            variables: variables.objectValue ?? Object(), now: clock, timeZone: timeZone,
            randomSource: .seeded(42))
    }

    /// Evaluates `expression` as a single-tag template.
    static func expression(
        _ expression: String, _ variables: Value = exampleContext, timeZone: String? = nil
    ) throws(IMLError) -> Value {
        try Template("{{" + expression + "}}").evaluate(in: context(variables, timeZone: timeZone))
    }

    /// The result of `expression` as compact JSON, `undefined`, or `date <ISO>`.
    static func show(_ expression: String, _ variables: Value = exampleContext, timeZone: String? = nil) -> String {
        do {
            return describe(try Eval.expression(expression, variables, timeZone: timeZone))
        } catch {
            return "error \(error.code.rawValue)"
        }
    }

    static func describe(_ value: Value) -> String {
        switch value {
        case .undefined: "undefined"
        case .date(let instant): "date " + instant.isoText
        default: value.compactJSON()
        }
    }

    /// The compile error of a single-tag template, or `nil`.
    static func compileError(_ template: String) -> IMLError? {
        Template.problems(in: template).first
    }
}
