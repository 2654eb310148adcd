import Foundation
import IML

/// The per-type format checks and `validate` rules of connection-spec §5, on converted values.
enum ParameterRules {
    /// What `value` breaks, or nil when it is acceptable. Messages never quote the value.
    static func violation(of value: Value, parameter: ParameterSpec) -> String? {
        if let format = formatViolation(value, type: parameter.type) { return format }
        if parameter.type == .select, let select = selectViolation(value, parameter: parameter) { return select }
        guard case .object(let rules)? = parameter.validate else { return nil }
        return ruleViolation(value, rules: rules)
    }

    private static func formatViolation(_ value: Value, type: ParameterSpec.Kind) -> String? {
        guard case .string(let text) = value else { return nil }
        switch type {
        case .email:
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !text.contains(where: \.isWhitespace)
            else { return "must be an e-mail address" }
        case .url:
            guard let components = URLComponents(string: text), let scheme = components.scheme, !scheme.isEmpty,
                components.host?.isEmpty == false
            else { return "must be an absolute URL" }
        case .uuid:
            guard UUID(uuidString: text) != nil else { return "must be a UUID" }
        case .date:
            guard isISODate(text) else { return "must be an ISO 8601 date" }
        case .timezone:
            guard TimeZone(identifier: text) != nil else { return "must be an IANA time zone such as Europe/Prague" }
        case .time:
            guard matches(text, #"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"#) else { return "must be a time HH:mm" }
        case .color:
            guard matches(text, #"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"#) else { return "must be a colour #RRGGBB" }
        default: break
        }
        return nil
    }

    private static func selectViolation(_ value: Value, parameter: ParameterSpec) -> String? {
        if parameter.validate == .bool(false) || parameter.options.isEmpty { return nil }
        let text = value.compactJSON()
        let allowed = parameter.options.contains { option in
            option == value || (option.stringValue ?? option.compactJSON()) == (value.stringValue ?? text)
        }
        return allowed ? nil : "must be one of the options"
    }

    private static func ruleViolation(_ value: Value, rules: Object) -> String? {
        func number(_ key: String) -> Double? { rules[key]?.numberValue?.double }
        switch value {
        case .string(let text):
            let length = text.count
            if let min = number("min"), Double(length) < min { return "must be at least \(Int(min)) characters long" }
            if let max = number("max"), Double(length) > max { return "must be at most \(Int(max)) characters long" }
            if case .string(let pattern)? = rules["pattern"] {
                guard let expression = try? NSRegularExpression(pattern: pattern) else {
                    return "cannot be checked: the spec's validate.pattern is not a valid regular expression"
                }
                let range = NSRange(text.startIndex..., in: text)
                guard let matches = RegexMatching.matches(of: expression, in: text, range: range, all: false) else {
                    return "cannot be checked: the spec's validate.pattern ran past its time limit on it"
                }
                if matches.isEmpty { return "does not match the required pattern" }
            }
        case .number(let given):
            if let min = number("min"), given.double < min { return "must be at least \(Value.number(Number(min)).compactJSON())" }
            if let max = number("max"), given.double > max { return "must be at most \(Value.number(Number(max)).compactJSON())" }
        case .array(let elements):
            if let min = number("minItems"), Double(elements.count) < min { return "must have at least \(Int(min)) items" }
            if let max = number("maxItems"), Double(elements.count) > max { return "must have at most \(Int(max)) items" }
        default: break
        }
        return nil
    }

    private static func matches(_ text: String, _ pattern: String) -> Bool {
        text.range(of: pattern, options: .regularExpression) != nil
    }

    private static func isISODate(_ text: String) -> Bool {
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate],
        ] {
            formatter.formatOptions = options
            if formatter.date(from: text) != nil { return true }
        }
        return false
    }
}
