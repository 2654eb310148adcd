internal import Foundation
internal import Synchronization

/// `replace(text, search, replacement)`: plain text (every occurrence) or a `/pattern/flags` regular expression.
enum Replace {
    /// A parsed `/pattern/flags` search.
    struct Pattern: Hashable {
        let source: String
        let global: Bool
        let optionBits: UInt

        var options: NSRegularExpression.Options { NSRegularExpression.Options(rawValue: optionBits) }
    }

    /// Why a regular expression search is rejected.
    enum PatternError: Error {
        case unknownFlags, namedGroup, invalid

        var message: String {
            switch self {
            case .unknownFlags: "unknown regular expression flag; flags are g, i, m and s"
            case .namedGroup: "named groups are not supported in regular expressions"
            case .invalid: "invalid regular expression"
            }
        }
    }

    /// `nil` when `search` is plain text; the pattern when it has the form `/pattern/flags` (flags: letters).
    static func regexForm(_ search: String) throws(PatternError) -> Pattern? {
        let scalars = Array(search.unicodeScalars)
        guard scalars.count >= 3, scalars[0] == "/", let close = scalars.lastIndex(of: "/"), close >= 2 else {
            return nil
        }
        let flags = scalars[(close + 1)...]
        guard flags.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }) else { return nil }
        var global = false
        var options: NSRegularExpression.Options = []
        var seen = Set<Unicode.Scalar>()
        for flag in flags {
            guard seen.insert(flag).inserted else { throw .unknownFlags }
            switch flag {
            case "g": global = true
            case "i": options.insert(.caseInsensitive)
            case "m": options.insert(.anchorsMatchLines)
            case "s": options.insert(.dotMatchesLineSeparators)
            default: throw .unknownFlags
            }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[1..<close])
        let source = String(view)
        if usesNamedGroups(source) { throw .namedGroup }
        return Pattern(source: source, global: global, optionBits: options.rawValue)
    }

    private static func usesNamedGroups(_ pattern: String) -> Bool {
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        var inClass = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                if index + 1 < scalars.count && scalars[index + 1] == "k" { return true }
                index += 2
                continue
            }
            if scalar == "[" { inClass = true }
            if scalar == "]" { inClass = false }
            if !inClass && scalar == "(" && index + 2 < scalars.count && scalars[index + 1] == "?"
                && scalars[index + 2] == "<"
            {
                let next = index + 3 < scalars.count ? scalars[index + 3] : " "
                if next != "=" && next != "!" { return true }
            }
            index += 1
        }
        return false
    }

    /// Compile-time check of a literal search: a `/…/flags` pattern must be valid.
    static let checkLiteralPattern: BuiltinFunction.Check = { arguments in
        guard arguments.count > 1, case .string(let search)? = arguments[1].literal else { return nil }
        do throws(PatternError) {
            guard let pattern = try regexForm(search) else { return nil }
            _ = try compiled(pattern)
            return nil
        } catch {
            return CompileProblem(.regex, at: arguments[1].start, token: arguments[1].lexeme, error.message)
        }
    }

    // MARK: Cache

    private static let cache = Mutex<[Pattern: Result<NSRegularExpressionBox, PatternError>]>([:])

    private static func compiled(_ pattern: Pattern) throws(PatternError) -> NSRegularExpression {
        let cached = cache.withLock { $0[pattern] }
        let result: Result<NSRegularExpressionBox, PatternError>
        if let cached {
            result = cached
        } else {
            if let expression = try? NSRegularExpression(pattern: pattern.source, options: pattern.options) {
                result = .success(NSRegularExpressionBox(expression: expression))
            } else {
                result = .failure(.invalid)
            }
            cache.withLock { entries in
                if entries.count > 256 { entries.removeAll() }
                entries[pattern] = result
            }
        }
        return try result.get().expression
    }

    // MARK: Replacing

    static func replace(_ text: String, search: String, with replacement: String) throws(FunctionFailure) -> String {
        let pattern: Pattern?
        do {
            pattern = try regexForm(search)
        } catch {
            throw FunctionFailure(.regex, error.message)
        }
        let template = ReplacementTemplate(replacement)
        guard let pattern else {
            let result = TextSearch.replaceAll(in: text, search) { _ in template.expand(match: search, groups: []) }
            return try checked(result)
        }
        let expression: NSRegularExpression
        do {
            expression = try compiled(pattern)
        } catch {
            throw FunctionFailure(.regex, error.message)
        }
        let units = Array(text.utf16)
        let whole = NSRange(location: 0, length: units.count)
        guard let matches = RegexMatching.matches(of: expression, in: text, range: whole, all: pattern.global) else {
            throw tooSlow
        }
        var result: [UInt16] = []
        result.reserveCapacity(units.count)
        var position = 0
        func slice(_ range: NSRange) -> String? {
            guard range.location != NSNotFound, range.location >= 0, range.location + range.length <= units.count
            else { return nil }
            return String(decoding: units[range.location..<(range.location + range.length)], as: UTF16.self)
        }
        for match in matches {
            let range = match.range
            guard range.location >= position, range.location + range.length <= units.count else { continue }
            result.append(contentsOf: units[position..<range.location])
            let groups = (0..<max(0, match.numberOfRanges - 1)).map { slice(match.range(at: $0 + 1)) }
            let expanded = template.expand(match: slice(range) ?? "", groups: groups)
            result.append(contentsOf: expanded.utf16)
            guard result.count <= Expression.sizeLimit else { throw tooLarge }
            position = range.location + range.length
        }
        result.append(contentsOf: units[position...])
        return try checked(String(decoding: result, as: UTF16.self))
    }

    private static let tooLarge = FunctionFailure(.limit, "the result of 'replace' is larger than 16 MiB")
    private static let tooSlow = FunctionFailure(
        .limit,
        "the regular expression of 'replace' ran past its time limit (1 s plus 0.25 µs per character of the text; "
            + "catastrophic backtracking?)")

    private static func checked(_ text: String) throws(FunctionFailure) -> String {
        guard text.utf8.count <= Expression.sizeLimit else { throw tooLarge }
        return text
    }
}

/// Holds a compiled expression; `NSRegularExpression` is immutable once built and safe to share.
struct NSRegularExpressionBox: @unchecked Sendable {
    let expression: NSRegularExpression
}
