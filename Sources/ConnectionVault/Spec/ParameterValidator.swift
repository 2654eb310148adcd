import Foundation
public import IML

/// Validates and converts entered parameter values against a spec's `parameters` (connection-spec §5).
///
/// Defaults first; then unknown names, `required`, types (text from the command line is converted to the
/// parameter's type) and `validate` rules. Every problem is collected and reported by parameter name.
public enum ParameterValidator {
    static let missingMessage = "is required"
    /// Names Make reserves for the connection's display name and team; accepted without a declaration.
    static let reservedNames: Set<String> = ["accountName", "teamID"]

    /// The parameters to store for a new connection.
    public static func validate(_ given: Object, against spec: ConnectionSpec) throws(ParameterError) -> Object {
        var problems: [ParameterError.Problem] = []
        let result = check(given, spec: spec, problems: &problems)
        guard problems.isEmpty else { throw ParameterError(problems: problems) }
        return result
    }

    /// The parameters to store after an update: `stored` overlaid by `given`. A parameter with
    /// `editable: false` keeps its stored value; trying to change it is refused.
    public static func validateUpdate(_ given: Object, stored: Object, against spec: ConnectionSpec)
        throws(ParameterError) -> Object
    {
        var problems: [ParameterError.Problem] = []
        var merged = stored
        for name in given.keys {
            let value = given[name] ?? .undefined
            if let parameter = spec.parameter(named: name), !parameter.editable, let old = stored[name],
                !sameText(old, value)
            {
                problems.append(.init(name: name, message: "cannot be changed (editable: false)"))
                continue
            }
            merged[name] = value
        }
        let result = check(merged, spec: spec, problems: &problems)
        guard problems.isEmpty else { throw ParameterError(problems: problems) }
        return result
    }

    private static func check(_ given: Object, spec: ConnectionSpec, problems: inout [ParameterError.Problem]) -> Object {
        for name in given.keys where spec.parameter(named: name) == nil && !reservedNames.contains(name) {
            problems.append(.init(name: name, message: "is not a parameter of type '\(spec.name)'"))
        }
        var result = Object()
        for parameter in spec.parameters {
            var value = given[parameter.name]
            if value == nil || value == .undefined { value = parameter.defaultValue }
            guard let value, !isEmpty(value) else {
                if parameter.required { problems.append(.init(name: parameter.name, message: missingMessage)) }
                continue
            }
            switch convert(value, to: parameter) {
            case .success(let converted):
                if let broken = ParameterRules.violation(of: converted, parameter: parameter) {
                    problems.append(.init(name: parameter.name, message: broken))
                } else {
                    result[parameter.name] = converted
                }
            case .failure(let message):
                problems.append(.init(name: parameter.name, message: message.text))
            }
        }
        for name in reservedNames.sorted() { if let value = given[name] { result[name] = value } }
        return result
    }

    private static func isEmpty(_ value: Value) -> Bool {
        switch value {
        case .undefined, .null: true
        case .string(let text): text.isEmpty
        default: false
        }
    }

    private static func sameText(_ a: Value, _ b: Value) -> Bool {
        if case .string(let text) = a, case .string(let other) = b { return text == other }
        return a == b
    }

    struct Message: Error { let text: String }

    /// Converts `value` (text from the command line, or JSON) to the parameter's type.
    static func convert(_ value: Value, to parameter: ParameterSpec) -> Result<Value, Message> {
        func fail(_ text: String) -> Result<Value, Message> { .failure(Message(text: text)) }
        switch parameter.type {
        case .text, .password, .hidden, .cert, .pkey, .buffer, .filename, .path, .email, .url, .uuid, .date,
            .timezone, .time, .color:
            switch value {
            case .string: return .success(value)
            case .number, .bool: return .success(.string(value.compactJSON()))
            default: return fail("must be text")
            }
        case .number, .integer, .uinteger, .port:
            var number: Number?
            switch value {
            case .number(let given): number = given
            case .string(let text):
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                number = Number(integerText: trimmed) ?? Double(trimmed).flatMap { $0.isFinite ? Number($0) : nil }
            default: break
            }
            guard let number else { return fail("must be a number") }
            switch parameter.type {
            case .number: return .success(.number(number))
            case .integer:
                guard number.double.rounded() == number.double else { return fail("must be an integer") }
            case .uinteger:
                guard number.double.rounded() == number.double, number.double >= 0 else {
                    return fail("must be an integer of 0 or more")
                }
            default:
                guard number.double.rounded() == number.double, (1...65535).contains(number.double) else {
                    return fail("must be a port number from 1 to 65535")
                }
            }
            return .success(.number(number))
        case .boolean:
            switch value {
            case .bool: return .success(value)
            case .string("true"): return .success(.bool(true))
            case .string("false"): return .success(.bool(false))
            default: return fail("must be true or false")
            }
        case .select:
            return .success(value)
        case .json:
            guard case .string(let text) = value else { return .success(value) }
            guard let parsed = try? Value(parsingJSON: Array(text.utf8)) else { return fail("must be JSON") }
            return .success(parsed)
        case .array, .collection:
            var converted = value
            if case .string(let text) = value {
                guard let parsed = try? Value(parsingJSON: Array(text.utf8)) else {
                    return fail(parameter.type == .array ? "must be a JSON array" : "must be a JSON object")
                }
                converted = parsed
            }
            switch (parameter.type, converted) {
            case (.array, .array), (.collection, .object): return .success(converted)
            default: return fail(parameter.type == .array ? "must be an array" : "must be an object")
            }
        }
    }
}
