/// Parses one tag's expression into an ``Expression`` (grammar of iml.md §3.2).
struct Parser {
    /// Deepest nesting of parentheses, unary operators, calls and indexes (iml.md §8.1, `E_LIMIT`).
    static let nestingLimit = 64

    private var lexer: Lexer
    private var token: Token
    private let tagStart: Int
    private var depth = 0
    /// Lint findings (iml.md's linter warnings), collected as a side product of parsing.
    private var findings: [LintFinding] = []

    /// Parses the expression of the tag that opens at `tagStart` and spans `expression` in `scalars`.
    static func parse(scalars: [Unicode.Scalar], tagStart: Int, expression: Range<Int>) throws(CompileProblem)
        -> Expression
    {
        var findings: [LintFinding] = []
        return try parse(scalars: scalars, tagStart: tagStart, expression: expression, findings: &findings)
    }

    /// Parses like ``parse(scalars:tagStart:expression:)`` and appends the lint findings of the expression.
    static func parse(
        scalars: [Unicode.Scalar], tagStart: Int, expression: Range<Int>, findings: inout [LintFinding]
    ) throws(CompileProblem) -> Expression {
        if scalars[expression].allSatisfy({ " \t\r\n".unicodeScalars.contains($0) }) {
            throw CompileProblem(.emptyTag, at: tagStart, token: "{{", "empty tag")
        }
        var parser = try Parser(lexer: Lexer(scalars: scalars, expression: expression), tagStart: tagStart)
        let result = try parser.parseExpression()
        guard case .end = parser.token.kind else { throw parser.unexpected() }
        findings.append(contentsOf: parser.findings)
        return result
    }

    private init(lexer: Lexer, tagStart: Int) throws(CompileProblem) {
        var lexer = lexer
        self.token = try lexer.next()
        self.lexer = lexer
        self.tagStart = tagStart
    }

    // MARK: Helpers

    private mutating func advance() throws(CompileProblem) {
        token = try lexer.next()
    }

    private func isSymbol(_ symbol: Token.Symbol) -> Bool {
        if case .symbol(let current) = token.kind { return current == symbol }
        return false
    }

    private mutating func expect(_ symbol: Token.Symbol) throws(CompileProblem) {
        guard isSymbol(symbol) else { throw unexpected(expecting: "'\(symbol.rawValue)'") }
        try advance()
    }

    private func unexpected(expecting expected: String? = nil) -> CompileProblem {
        var message: String
        switch token.kind {
        case .end: message = "unexpected end of expression"
        default: message = "unexpected '\(token.text)'"
        }
        if let expected { message += ", expected \(expected)" }
        return CompileProblem(.syntax, at: token.start, token: token.text, message)
    }

    private mutating func nested<T>(_ body: (inout Parser) throws(CompileProblem) -> T) throws(CompileProblem) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.nestingLimit else {
            throw CompileProblem(.limit, at: tagStart, token: "{{", "expression nested deeper than 64 levels")
        }
        return try body(&self)
    }

    // MARK: Binary levels

    private mutating func parseExpression() throws(CompileProblem) -> Expression {
        try nested { (parser: inout Parser) throws(CompileProblem) in try parser.parseOr() }
    }

    private mutating func parseOr() throws(CompileProblem) -> Expression {
        var operands = [try parseAnd()]
        while isSymbol(.or) {
            try advance()
            operands.append(try parseAnd())
        }
        return operands.count == 1 ? operands[0] : .or(operands)
    }

    private mutating func parseAnd() throws(CompileProblem) -> Expression {
        var operands = [try parseEquality()]
        while isSymbol(.and) {
            try advance()
            operands.append(try parseEquality())
        }
        return operands.count == 1 ? operands[0] : .and(operands)
    }

    /// The left-associative binary levels below `&&`, from the loosest to the tightest binding.
    private enum Level {
        case equality, relational, additive, multiplicative

        /// The next tighter level, or `nil` when operands are unary expressions.
        var tighter: Level? {
            switch self {
            case .equality: .relational
            case .relational: .additive
            case .additive: .multiplicative
            case .multiplicative: nil
            }
        }

        /// The operator `symbol` stands for at this level, if any.
        func binary(for symbol: Token.Symbol) -> BinaryOperator? {
            switch (self, symbol) {
            case (.equality, .equal), (.equality, .singleEqual), (.equality, .strictEqual): .equal
            case (.equality, .notEqual), (.equality, .strictNotEqual): .notEqual
            case (.relational, .less): .less
            case (.relational, .lessEqual): .lessEqual
            case (.relational, .greater): .greater
            case (.relational, .greaterEqual): .greaterEqual
            case (.additive, .plus): .plus
            case (.additive, .minus): .minus
            case (.multiplicative, .times): .times
            case (.multiplicative, .divide): .divide
            case (.multiplicative, .remainder): .remainder
            default: nil
            }
        }
    }

    private mutating func parseEquality() throws(CompileProblem) -> Expression {
        try parseChain(.equality)
    }

    /// `operand { op operand }` at `level`, kept flat as one chain.
    private mutating func parseChain(_ level: Level) throws(CompileProblem) -> Expression {
        let first = try parseOperand(of: level)
        var rest: [Expression.Link] = []
        while case .symbol(let symbol) = token.kind, let binary = level.binary(for: symbol) {
            let start = token.start
            try advance()
            rest.append(Expression.Link(binary: binary, operand: try parseOperand(of: level), start: start))
        }
        return rest.isEmpty ? first : .chain(first, rest)
    }

    private mutating func parseOperand(of level: Level) throws(CompileProblem) -> Expression {
        if let tighter = level.tighter { return try parseChain(tighter) }
        return try parseUnary()
    }

    // MARK: Unary and postfix

    private mutating func parseUnary() throws(CompileProblem) -> Expression {
        if isSymbol(.not) {
            try advance()
            return .not(try nested { (parser: inout Parser) throws(CompileProblem) in try parser.parseUnary() })
        }
        if isSymbol(.minus) {
            try advance()
            let operand = try nested { (parser: inout Parser) throws(CompileProblem) in try parser.parseUnary() }
            if case .literal(.number(let number)) = operand { return .literal(.number(number.negated())) }
            return .negate(operand)
        }
        return try parsePostfix()
    }

    private mutating func parsePostfix() throws(CompileProblem) -> Expression {
        let base = try parsePrimary()
        var accessors: [Expression.Accessor] = []
        while true {
            if isSymbol(.dot) {
                try advance()
                switch token.kind {
                case .memberName(let name), .backtick(let name):
                    accessors.append(.name(name))
                    try advance()
                default:
                    throw unexpected(expecting: "a member name")
                }
            } else if isSymbol(.leftBracket) {
                try advance()
                if isSymbol(.rightBracket) {
                    accessors.append(.first)
                } else {
                    let index = try parseExpression()
                    accessors.append(.index(index))
                    guard isSymbol(.rightBracket) else { throw unexpected(expecting: "']'") }
                }
                try advance()
            } else if isSymbol(.leftParen) {
                throw CompileProblem(
                    .syntax, at: token.start, token: "(", "only a function name can be called")
            } else {
                break
            }
        }
        return accessors.isEmpty ? base : .postfix(base, accessors)
    }

    // MARK: Primary

    private mutating func parsePrimary() throws(CompileProblem) -> Expression {
        let current = token
        switch current.kind {
        case .number(let number):
            try advance()
            return .literal(.number(number))
        case .string(let text):
            try advance()
            return .literal(.string(text))
        case .backtick(let name):
            try advance()
            return .variable(name)
        case .identifier(let name):
            try advance()
            if isSymbol(.leftParen) { return try parseCall(name: name, start: current.start) }
            if name == "connection" {
                findings.append(LintFinding(.connectionVariable, at: current.start, token: name))
            }
            return Parser.namedValue(name)
        case .symbol(.leftParen):
            try advance()
            let inner = try parseExpression()
            try expect(.rightParen)
            return inner
        case .symbol(.leftBracket):
            throw CompileProblem(
                .unsupported, at: current.start, token: "[",
                "array literals are not supported; use emptyarray and add()")
        default:
            throw unexpected()
        }
    }

    /// Keywords, built-in constants, or a root variable.
    private static func namedValue(_ name: String) -> Expression {
        switch name {
        case "true": .literal(.bool(true))
        case "false": .literal(.bool(false))
        case "null": .literal(.null)
        case "undefined": .literal(.undefined)
        case "emptyarray": .literal(.array([]))
        case "emptystring": .literal(.string(""))
        case "pi": .literal(.number(3.141592653589793))
        case "now": .now
        case "timestamp": .timestamp
        default: .variable(name)
        }
    }

    private static let reservedNames: Set<String> = [
        "true", "false", "null", "undefined", "emptyarray", "emptystring", "pi", "now", "timestamp",
    ]

    private mutating func parseCall(name: String, start: Int) throws(CompileProblem) -> Expression {
        if Parser.reservedNames.contains(name) {
            throw CompileProblem(.syntax, at: start, token: name, "'\(name)' is not a function and cannot be called")
        }
        guard let function = FunctionLibrary.function(named: name) else {
            throw CompileProblem(.unknownFunction, at: start, token: name, "unknown function '\(name)'")
        }
        try advance()  // (
        var arguments: [Expression] = []
        var syntax: [ArgumentSyntax] = []
        if !isSymbol(.rightParen) {
            while true {
                let first = token
                let argument = try parseExpression()
                var literal: Value? = nil
                if case .literal(let value) = argument { literal = value }
                syntax.append(ArgumentSyntax(literal: literal, start: first.start, lexeme: first.text))
                arguments.append(argument)
                if isSymbol(.comma) {
                    try advance()
                    continue
                }
                guard isSymbol(.rightParen) else { throw unexpected(expecting: "',' or ')'") }
                break
            }
        }
        try advance()  // )
        guard function.arity.contains(arguments.count) else {
            throw CompileProblem(.arity, at: start, token: name, function.arityMessage(given: arguments.count))
        }
        if let check = function.check, let problem = check(syntax) { throw problem }
        if name == "formatDate" || name == "parseDate", syntax.count > 1, case .string(let format)? = syntax[1].literal,
            let letter = DateFormat(format).firstUnimplementedLetter
        {
            findings.append(
                LintFinding(.unimplementedFormatLetter, at: syntax[1].start, token: syntax[1].lexeme, detail: letter))
        }
        switch function.kind {
        case .eager(let body):
            return .call(Expression.Call(name: name, body: body, arguments: arguments, start: start))
        case .conditional: return .conditional(arguments[0], arguments[1], arguments.count > 2 ? arguments[2] : nil)
        case .ifEmpty: return .ifEmpty(arguments[0], arguments[1])
        case .switchCase: return .switchCase(arguments[0], Array(arguments.dropFirst()))
        }
    }
}
