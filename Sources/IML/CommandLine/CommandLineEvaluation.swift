/// The core of `connvault eval TEMPLATE [--context FILE|-]` (cli.md): compile one template or JSON document and
/// evaluate it against a context.
public enum CommandLineEvaluation {
    /// Compiles `template` and evaluates it against the context object in `contextJSON`.
    ///
    /// `template` is a JSON document when the whole argument parses as JSON (`{"a":"{{x}}"}`, `"{{x}}"`, `5`);
    /// otherwise it is the text of one template string (`{{x}}`, `Bearer {{x}}`). In the context, `$now` (an ISO
    /// date) fixes the clock and is not a variable; `environment.timezone` sets the default time zone.
    /// - Parameters:
    ///   - template: the TEMPLATE argument.
    ///   - contextJSON: the bytes of the context file (JSON object), or `nil` for an empty context.
    ///   - now: the clock when the context has no `$now`.
    /// - Returns: the result as compact JSON, or `nil` when it is Undefined (the command prints nothing).
    /// - Throws: ``CommandLineEvaluationError``: an unreadable context, every compile error, or a runtime error.
    public static func evaluate(template: String, contextJSON: [UInt8]?, now: Instant = .current)
        throws(CommandLineEvaluationError) -> String?
    {
        var variables = Object()
        var clock = now
        if let contextJSON {
            let parsed: Value
            do {
                parsed = try Value(parsingJSON: contextJSON)
            } catch {
                throw .invalidContext("the context is not valid JSON: \(error.reason.rawValue) at byte \(error.offset)")
            }
            guard case .object(let object) = parsed else {
                throw .invalidContext("the context must be a JSON object")
            }
            variables = object
            if let fixed = variables.removeValue(forKey: "$now") {
                guard let instant = DateArgument.instant(fixed, zone: .utc) else {
                    throw .invalidContext("$now must be an ISO 8601 date")
                }
                clock = instant
            }
        }
        let document: Value
        if let json = try? Value(parsingJSON: template) {
            document = json
        } else {
            document = .string(template)
        }
        let compiled: CompiledDocument
        do {
            compiled = try CompiledDocument(document)
        } catch {
            throw .iml(error.errors)
        }
        let context = EvaluationContext(variables: variables, now: clock)
        do {
            return try compiled.evaluate(in: context).compactJSONIfDefined()
        } catch {
            throw .iml([error])
        }
    }
}

/// Why `eval` failed; every case is bad input (the CLI exits 65).
public enum CommandLineEvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The context file is not a JSON object, or its `$now` is not a date.
    case invalidContext(String)
    /// The compile errors of the template (all of them), or the one runtime error.
    case iml([IMLError])

    /// One line per problem, without the CLI's `Error: ` prefix.
    public var description: String {
        switch self {
        case .invalidContext(let message): message
        case .iml(let errors): errors.map(\.description).joined(separator: "\n")
        }
    }
}
