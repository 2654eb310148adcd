/// Parameters refused before any request: every problem, named by parameter, never by value.
public struct ParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One refused parameter.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The parameter's name.
        public var name: String
        /// What is wrong with it; never quotes the value (it may be a secret).
        public var message: String

        public init(name: String, message: String) {
            self.name = name
            self.message = message
        }

        public var description: String { "\(name): \(message)" }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    /// The names of required parameters that are missing.
    public var missing: [String] { problems.filter { $0.message == ParameterValidator.missingMessage }.map(\.name) }

    public var description: String {
        "invalid parameters: " + problems.map(\.description).joined(separator: "; ")
    }
}
