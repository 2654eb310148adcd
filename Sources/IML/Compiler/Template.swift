/// A compiled template string, ready to be evaluated many times (thread-safe).
///
/// A string that is exactly one tag evaluates to the expression's native value; any other string evaluates to a
/// String (iml.md §2.3).
public struct Template: Sendable {
    let compiled: CompiledString

    /// Compiles one template string.
    /// - Parameters:
    ///   - source: the string value (after JSON unescaping).
    ///   - location: the JSON path of the string in its spec, used in errors.
    /// - Throws: the first ``IMLError`` (phase compile) of the template; see ``problems(in:location:)`` for all.
    public init(_ source: String, location: String = "") throws(IMLError) {
        var problems: [IMLError] = []
        guard let compiled = CompiledString.compile(source, location: location, problems: &problems) else {
            throw problems[0]
        }
        self.compiled = compiled
    }

    /// Every compile error of `source` (one per faulty tag); empty when it compiles.
    public static func problems(in source: String, location: String = "") -> [IMLError] {
        var problems: [IMLError] = []
        _ = CompiledString.compile(source, location: location, problems: &problems)
        return problems
    }

    /// The template text as given.
    public var source: String { compiled.source }

    /// Whether the string contains at least one tag (otherwise it evaluates to itself).
    public var containsTags: Bool { !compiled.isLiteral }

    /// Evaluates the template against `context`.
    /// - Throws: a runtime ``IMLError`` (iml.md §8.2).
    public func evaluate(in context: EvaluationContext) throws(IMLError) -> Value {
        var evaluation = Evaluation(context: context)
        return try compiled.evaluate(&evaluation)
    }
}
