/// The state of one evaluation: the context plus caches (time zones) that functions share.
struct Evaluation {
    let context: EvaluationContext
    private var zones: [String: ZoneRules?] = [:]

    init(context: EvaluationContext) {
        self.context = context
    }

    /// The default time zone (`environment.timezone`), or `nil` when its name is unknown.
    mutating func defaultZone() -> ZoneRules? {
        zone(named: context.timeZone)
    }

    /// The zone named `name`, or `nil` when unknown.
    mutating func zone(named name: String) -> ZoneRules? {
        if name == "UTC" { return .utc }
        if let cached = zones[name] { return cached }
        let rules = ZoneRules(identifier: name)
        zones[name] = .some(rules)
        return rules
    }

    /// The zone named by a function's optional `timezone` argument: the default when absent, Undefined, Null or
    /// `""`; `nil` when the name is unknown or not a string.
    mutating func zone(argument: Value?) -> ZoneRules? {
        switch argument {
        case nil, .undefined?, .null?: return defaultZone()
        case .string(let name)?: return name.isEmpty ? defaultZone() : zone(named: name)
        default: return nil
        }
    }
}

/// A runtime error inside one template, before the string's location and text are attached.
struct RuntimeProblem: Error {
    var code: IMLError.Code
    /// 0-based scalar position in the template string.
    var start: Int
    var token: String
    var message: String

    func error(template: String, location: String) -> IMLError {
        IMLError(
            phase: .runtime, code: code, location: location, template: template, column: start + 1, token: token,
            message: message)
    }
}
