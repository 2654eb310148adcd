/// A compile-time or runtime error of IML (iml.md §8).
///
/// The message quotes only spec text (the template and its tokens), never an evaluated value, since values may be
/// secrets.
public struct IMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// When the error was found.
    public enum Phase: String, Sendable, Hashable {
        /// While compiling a spec (import time).
        case compile
        /// While evaluating a compiled template.
        case runtime
    }

    /// The error code of iml.md §8.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case syntax = "E_SYNTAX"
        case emptyTag = "E_EMPTY_TAG"
        case unsupported = "E_UNSUPPORTED"
        case unknownFunction = "E_UNKNOWN_FUNCTION"
        case arity = "E_ARITY"
        case regex = "E_REGEX"
        case encoding = "E_ENCODING"
        case limit = "E_LIMIT"
        case spread = "E_SPREAD"
        case key = "E_KEY"
        case jwt = "E_JWT"
    }

    /// Compile or runtime.
    public var phase: Phase
    /// The error code.
    public var code: Code
    /// The JSON path of the string in the spec (`communication[1].response.metadata.value`); empty for a lone
    /// template.
    public var location: String
    /// The whole template string, cut to 200 characters around the column (with `…`) when longer.
    public var template: String
    /// The 1-based column in Unicode scalars from the start of the string value; 0 when not inside a string.
    public var column: Int
    /// The offending lexeme.
    public var token: String
    /// What went wrong, without evaluated values.
    public var message: String

    /// Creates an error; `template` is shortened around `column` when longer than 200 characters.
    public init(
        phase: Phase, code: Code, location: String = "", template: String, column: Int, token: String,
        message: String
    ) {
        self.phase = phase
        self.code = code
        self.location = location
        self.template = IMLError.excerpt(of: template, around: column)
        self.column = column
        self.token = token
        self.message = message
    }

    /// `IML compile error E_UNKNOWN_FUNCTION at headers.authorization, column 9: unknown function 'bas64' near
    /// 'bas64' in "Basic {{bas64(parameters.user)}}"`.
    public var description: String {
        var text = "IML \(phase.rawValue) error \(code.rawValue)"
        if !location.isEmpty { text += " at \(location)" }
        if column > 0 { text += location.isEmpty ? " at column \(column)" : ", column \(column)" }
        text += ": \(message)"
        if !token.isEmpty { text += " near '\(token)'" }
        text += " in \(Value.string(template).compactJSON())"
        return text
    }

    /// The template cut to at most 200 characters around `column`, marked with `…` where cut.
    static func excerpt(of template: String, around column: Int) -> String {
        let scalars = Array(template.unicodeScalars)
        guard scalars.count > 200 else { return template }
        let center = max(0, min(scalars.count, column - 1))
        var start = max(0, center - 100)
        let end = min(scalars.count, start + 200)
        start = max(0, end - 200)
        var view = String.UnicodeScalarView()
        if start > 0 { view.append("…") }
        view.append(contentsOf: scalars[start..<end])
        if end < scalars.count { view.append("…") }
        return String(view)
    }
}

/// Every compile error of a document, reported together (iml.md §2.4).
public struct IMLCompileErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The errors in document order; never empty.
    public var errors: [IMLError]

    /// Wraps a non-empty list of errors.
    public init(_ errors: [IMLError]) {
        self.errors = errors
    }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
