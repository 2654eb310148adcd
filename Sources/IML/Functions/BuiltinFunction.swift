/// A built-in function of iml.md §7: its name, argument count, and implementation.
struct BuiltinFunction: Sendable {
    /// The implementation of an eagerly evaluated function: arguments are already evaluated, left to right.
    typealias Body = @Sendable (_ arguments: [Value], _ evaluation: inout Evaluation) throws(FunctionFailure) -> Value
    /// A compile-time check of literal arguments (regular expressions, encoding names).
    typealias Check = @Sendable (_ arguments: [ArgumentSyntax]) -> CompileProblem?

    /// How calls are evaluated.
    enum Kind: Sendable {
        case eager(Body)
        /// `if`: only the chosen branch is evaluated.
        case conditional
        /// `ifempty`: the fallback only when needed.
        case ifEmpty
        /// `switch`: cases and results only as far as needed.
        case switchCase
    }

    let name: String
    let arity: ClosedRange<Int>
    let kind: Kind
    let check: Check?

    init(_ name: String, arity: ClosedRange<Int>, check: Check? = nil, _ body: @escaping Body) {
        self.name = name
        self.arity = arity
        self.kind = .eager(body)
        self.check = check
    }

    init(_ name: String, arity: ClosedRange<Int>, lazy kind: Kind) {
        self.name = name
        self.arity = arity
        self.kind = kind
        self.check = nil
    }

    /// Any number of arguments from `minimum` on.
    static func atLeast(_ minimum: Int) -> ClosedRange<Int> { minimum...Int.max }

    /// The message of an `E_ARITY` error.
    func arityMessage(given: Int) -> String {
        let expected: String
        if arity.upperBound == Int.max {
            expected = "at least \(arity.lowerBound)"
        } else if arity.lowerBound == arity.upperBound {
            expected = "\(arity.lowerBound)"
        } else {
            expected = "\(arity.lowerBound) to \(arity.upperBound)"
        }
        let noun = expected == "1" ? "argument" : "arguments"
        return "'\(name)' takes \(expected) \(noun), not \(given)"
    }
}

/// What the compiler knows about one argument of a call, for literal checks.
struct ArgumentSyntax {
    /// The value when the argument is a literal.
    let literal: Value?
    /// Position of its first token.
    let start: Int
    /// The lexeme of its first token.
    let lexeme: String
}

/// A runtime error raised by a function; the evaluator adds the call's column and name.
struct FunctionFailure: Error {
    let code: IMLError.Code
    let message: String

    init(_ code: IMLError.Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
