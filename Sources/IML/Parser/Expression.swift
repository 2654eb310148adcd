/// The parsed form of one tag's expression.
///
/// Left-associative chains of one precedence level and postfix chains are stored flat, so that neither parsing
/// nor evaluation recurses once per operator.
indirect enum Expression: Sendable {
    /// A literal value (numbers, strings, keywords, `pi`, folded constants).
    case literal(Value)
    /// A root variable of the context.
    case variable(String)
    /// The built-in `now` constant (a Date from the clock).
    case now
    /// The built-in `timestamp` constant (Unix seconds from the clock).
    case timestamp
    /// Member and index accessors applied in order to a base.
    case postfix(Expression, [Accessor])
    /// `!x`.
    case not(Expression)
    /// `-x`.
    case negate(Expression)
    /// `a op b op c …` for the operators of one level (arithmetic, relational, equality), left to right.
    case chain(Expression, [Link])
    /// `a && b && …`, returning operands.
    case and([Expression])
    /// `a || b || …`, returning operands.
    case or([Expression])
    /// A call of an eagerly evaluated built-in.
    case call(Call)
    /// `if(condition, then, [else])`.
    case conditional(Expression, Expression, Expression?)
    /// `ifempty(value, fallback)`.
    case ifEmpty(Expression, Expression)
    /// `switch(value, case, result, …, [default])`.
    case switchCase(Expression, [Expression])

    /// An accessor after a primary expression.
    enum Accessor: Sendable {
        /// `.name` or ``.`name` ``.
        case name(String)
        /// `[expression]`.
        case index(Expression)
        /// `[]`: the first element of an array.
        case first
    }

    /// One `op operand` step of a chain.
    struct Link: Sendable {
        let binary: BinaryOperator
        let operand: Expression
        /// Position of the operator, for runtime errors.
        let start: Int
    }

    /// A call site of a built-in function (a class, so that evaluating a call retains one reference).
    final class Call: Sendable {
        let name: String
        let body: BuiltinFunction.Body
        let arguments: [Expression]
        /// Position of the function name, for runtime errors.
        let start: Int

        init(name: String, body: @escaping BuiltinFunction.Body, arguments: [Expression], start: Int) {
            self.name = name
            self.body = body
            self.arguments = arguments
            self.start = start
        }
    }
}

/// Binary operators below `&&` in precedence.
enum BinaryOperator: Sendable {
    case times, divide, remainder, plus, minus
    case less, lessEqual, greater, greaterEqual
    case equal, notEqual
}
