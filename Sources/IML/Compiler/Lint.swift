/// A linter warning about a spec value (iml.md §2.2, §2.5, §6, §7.6): legal, but almost always a mistake.
public struct IMLWarning: Sendable, Hashable, CustomStringConvertible {
    /// What looks wrong.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A string still contains `{{` as literal text: almost always an unterminated tag.
        case literalOpenBraces = "W_LITERAL_BRACES"
        /// An object key other than the spread key contains `{{`; keys are never evaluated.
        case literalKeyWithBraces = "W_LITERAL_KEY"
        /// A `formatDate`/`parseDate` format leaves a letter as literal text (a Make token the vault lacks).
        case unimplementedFormatLetter = "W_FORMAT_LETTER"
        /// The `connection` variable, which is not bound inside a connection's own verification flow.
        case connectionVariable = "W_CONNECTION_VARIABLE"
    }

    /// What looks wrong.
    public var kind: Kind
    /// The JSON path of the string or key.
    public var location: String
    /// The string (or key) as written.
    public var template: String
    /// The 1-based column in Unicode scalars.
    public var column: Int
    /// The lexeme concerned.
    public var token: String
    /// A readable explanation.
    public var message: String

    /// `IML warning W_LITERAL_BRACES at url, column 8: … near '{{' in "…"`.
    public var description: String {
        var text = "IML warning \(kind.rawValue)"
        if !location.isEmpty { text += " at \(location)" }
        text += location.isEmpty ? " at column \(column)" : ", column \(column)"
        text += ": \(message) near '\(token)' in \(Value.string(template).compactJSON())"
        return text
    }
}

/// A warning found while parsing one template, before its location is attached.
struct LintFinding {
    let kind: IMLWarning.Kind
    let start: Int
    let token: String
    let detail: String

    init(_ kind: IMLWarning.Kind, at start: Int, token: String, detail: String = "") {
        self.kind = kind
        self.start = start
        self.token = token
        self.detail = detail
    }

    func warning(template: String, location: String) -> IMLWarning {
        let message: String
        switch kind {
        case .literalOpenBraces: message = "'{{' stays literal text; is a tag unterminated?"
        case .literalKeyWithBraces: message = "object keys are never evaluated; only '{{...}}' spreads"
        case .unimplementedFormatLetter:
            message = "the letter '\(detail)' is literal text in this format; quote literal text as [text]"
        case .connectionVariable: message = "'connection' is not bound in a connection's own verification flow"
        }
        return IMLWarning(
            kind: kind, location: location, template: IMLError.excerpt(of: template, around: start + 1),
            column: start + 1, token: token, message: message)
    }
}

extension CompiledDocument {
    /// The linter warnings of `document`, in document order (templates that do not compile are skipped; see
    /// ``problems(in:location:)``).
    public static func warnings(in document: Value, location: String = "") -> [IMLWarning] {
        var warnings: [IMLWarning] = []
        collectWarnings(document, location: location, into: &warnings)
        return warnings
    }

    private static func collectWarnings(_ value: Value, location: String, into warnings: inout [IMLWarning]) {
        switch value {
        case .string(let text):
            warnings.append(contentsOf: Template.warnings(in: text, location: location))
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                collectWarnings(element, location: JSONPath.appending(index: index, to: location), into: &warnings)
            }
        case .object(let object):
            for (key, member) in object {
                let path = JSONPath.appending(key: key, to: location)
                if key != spreadKey, let braces = key.firstRange(of: "{{") {
                    let column = key.unicodeScalars[..<braces.lowerBound].count
                    warnings.append(
                        LintFinding(.literalKeyWithBraces, at: column, token: "{{")
                            .warning(template: key, location: path))
                }
                collectWarnings(member, location: path, into: &warnings)
            }
        default:
            break
        }
    }
}

extension Template {
    /// The linter warnings of one template string (none for a template that does not compile).
    public static func warnings(in source: String, location: String = "") -> [IMLWarning] {
        guard source.contains("{{") else { return [] }
        let scalars = Array(source.unicodeScalars)
        var findings: [LintFinding] = []
        for piece in TagScanner.scan(scalars) {
            switch piece {
            case .text(let range):
                var index = range.lowerBound
                while index + 1 < range.upperBound {
                    if scalars[index] == "{" && scalars[index + 1] == "{" {
                        findings.append(LintFinding(.literalOpenBraces, at: index, token: "{{"))
                        break
                    }
                    index += 1
                }
            case .tag(let open, let expression):
                var tagFindings: [LintFinding] = []
                if (try? Parser.parse(scalars: scalars, tagStart: open, expression: expression, findings: &tagFindings))
                    != nil
                {
                    findings.append(contentsOf: tagFindings)
                }
            }
        }
        return findings.map { $0.warning(template: source, location: location) }
    }
}
