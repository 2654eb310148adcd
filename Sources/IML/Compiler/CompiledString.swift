/// One compiled template string: literal text and tags, evaluated by the typing rule (iml.md §2.3).
struct CompiledString: Sendable {
    /// Longest template accepted, in UTF-8 bytes (iml.md §8.1, `E_LIMIT`).
    static let lengthLimit = 64 * 1024

    enum Body: Sendable {
        /// No tags: the string itself.
        case literal(String)
        /// Exactly one tag and nothing else: the expression's native value.
        case single(Expression)
        /// Text and tags: a String of the text with each tag's ToText.
        case mixed([Segment], capacity: Int)
    }

    enum Segment: Sendable {
        case text(String)
        case tag(Expression)
    }

    let source: String
    let location: String
    let body: Body

    /// Compiles `source`; every tag with an error adds one problem to `problems` and makes the result `nil`.
    static func compile(_ source: String, location: String, problems: inout [IMLError]) -> CompiledString? {
        // Fast path: no "{{" at all.
        guard source.utf8.count >= 4, containsOpenBraces(source) else {
            return CompiledString(source: source, location: location, body: .literal(source))
        }
        let scalars = Array(source.unicodeScalars)
        let pieces = TagScanner.scan(scalars)
        let firstTag = pieces.first { if case .tag = $0 { true } else { false } }
        guard case .tag(let firstOpen, _)? = firstTag else {
            return CompiledString(source: source, location: location, body: .literal(source))
        }
        if source.utf8.count > lengthLimit {
            let problem = CompileProblem(.limit, at: firstOpen, token: "{{", "template longer than 64 KiB")
            problems.append(problem.error(template: source, location: location))
            return nil
        }
        var segments: [Segment] = []
        var failed = false
        var capacity = 0
        for piece in pieces {
            switch piece {
            case .text(let range):
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[range])
                let text = String(view)
                capacity += text.utf8.count
                segments.append(.text(text))
            case .tag(let open, let expression):
                do {
                    let parsed = try Parser.parse(scalars: scalars, tagStart: open, expression: expression)
                    segments.append(.tag(parsed))
                    capacity += 16
                } catch {
                    problems.append(error.error(template: source, location: location))
                    failed = true
                }
            }
        }
        if failed { return nil }
        if segments.count == 1, case .tag(let expression) = segments[0] {
            return CompiledString(source: source, location: location, body: .single(expression))
        }
        return CompiledString(source: source, location: location, body: .mixed(segments, capacity: capacity))
    }

    private static func containsOpenBraces(_ source: String) -> Bool {
        var previousBrace = false
        for byte in source.utf8 {
            if byte == UInt8(ascii: "{") {
                if previousBrace { return true }
                previousBrace = true
            } else {
                previousBrace = false
            }
        }
        return false
    }

    /// Whether the string has tags.
    var isLiteral: Bool {
        if case .literal = body { return true }
        return false
    }

    func evaluate(_ evaluation: inout Evaluation) throws(IMLError) -> Value {
        do throws(RuntimeProblem) {
            switch body {
            case .literal(let text):
                return .string(text)
            case .single(let expression):
                return try expression.evaluate(&evaluation)
            case .mixed(let segments, let capacity):
                var text = ""
                text.reserveCapacity(capacity)
                for segment in segments {
                    switch segment {
                    case .text(let literal): text.append(literal)
                    case .tag(let expression): try expression.evaluate(&evaluation).appendText(to: &text)
                    }
                }
                guard text.utf8.count <= Expression.sizeLimit else {
                    throw RuntimeProblem(code: .limit, start: 0, token: "", message: "a string is larger than 16 MiB")
                }
                return .string(text)
            }
        } catch {
            throw error.error(template: source, location: location)
        }
    }
}
