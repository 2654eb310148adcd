import IML

/// One problem of a connection spec: where (a JSON path, and a column inside a template) and what.
public struct SpecProblem: Sendable, Hashable, CustomStringConvertible {
    /// The JSON path of the offending value, e.g. `communication[1].response.metadata.value`.
    public var path: String
    /// The 1-based column inside a template, when the problem is in one.
    public var column: Int?
    /// What is wrong; quotes spec text only, never a value entered by a person.
    public var message: String

    public init(path: String, column: Int? = nil, message: String) {
        self.path = path
        self.column = column
        self.message = message
    }

    /// A template compile error as a spec problem.
    init(_ error: IMLError) {
        var message = "\(error.code.rawValue): \(error.message)"
        if !error.token.isEmpty { message += " near '\(error.token)'" }
        message += " in \(Value.string(error.template).compactJSON())"
        self.init(path: error.location, column: error.column > 0 ? error.column : nil, message: message)
    }

    public var description: String {
        let place = column.map { "\(path), column \($0)" } ?? path
        return place.isEmpty ? message : "\(place): \(message)"
    }
}

/// A spec refused at import: every problem found, reported together.
public struct SpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The spec's source (file or folder) or type name.
    public var source: String
    public var problems: [SpecProblem]

    public init(source: String, problems: [SpecProblem]) {
        self.source = source
        self.problems = problems
    }

    public var description: String {
        "\(source): \(problems.count == 1 ? "1 problem" : "\(problems.count) problems")\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
