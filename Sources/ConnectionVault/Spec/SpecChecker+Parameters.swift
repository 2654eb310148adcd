import Foundation
import IML

extension SpecChecker {
    /// Checks the `parameters` array (`null` or absent means none) and returns the parameters it declares.
    mutating func checkParameters(_ value: Value?) -> [ParameterSpec] {
        let base = "parameters"
        let elements: [Value]
        switch value {
        case nil, .undefined?, .null?: return []
        case .array(let array)?: elements = array
        default:
            problems.append(SpecProblem(path: base, message: "parameters must be an array"))
            return []
        }
        var parameters: [ParameterSpec] = []
        var seen: Set<String> = []
        for (index, element) in elements.enumerated() {
            let path = JSONPath.appending(index: index, to: base)
            guard case .object(let object) = element else {
                problems.append(SpecProblem(path: path, message: "a parameter must be an object"))
                continue
            }
            if let parameter = checkParameter(object, at: path) {
                if !seen.insert(parameter.name).inserted {
                    problems.append(SpecProblem(path: path, message: "parameter '\(parameter.name)' is declared twice"))
                }
                parameters.append(parameter)
            }
        }
        return parameters
    }

    private mutating func checkParameter(_ object: Object, at path: String) -> ParameterSpec? {
        func here(_ key: String) -> String { JSONPath.appending(key: key, to: path) }
        var ok = true
        func fail(_ key: String, _ message: String) {
            problems.append(SpecProblem(path: here(key), message: message))
            ok = false
        }
        guard case .string(let name)? = object["name"], !name.isEmpty else {
            fail("name", "a parameter needs a name")
            return nil
        }
        var kind = ParameterSpec.Kind.text
        if case .string(let type)? = object["type"] {
            if let known = ParameterSpec.Kind(rawValue: type) {
                kind = known
            } else {
                fail("type", "unknown parameter type '\(type)' (expected one of "
                    + ParameterSpec.Kind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
        } else {
            fail("type", "parameter '\(name)' needs a type")
        }
        var flags: [String: Bool] = ["required": false, "editable": true, "advanced": false]
        for key in flags.keys.sorted() {
            guard let value = object[key] else { continue }
            guard case .bool(let flag) = value else {
                fail(key, "\(key) must be true or false")
                continue
            }
            flags[key] = flag
        }
        var options: [Value] = []
        if let value = object["options"] {
            switch value {
            case .array(let elements):
                options = elements.map { element in
                    if case .object(let option) = element, let value = option["value"] { return value }
                    return element
                }
            case .object, .string: break  // remote options (an RPC or a URL): nothing to check against here
            default: fail("options", "options must be an array")
            }
        }
        if let validate = object["validate"] {
            switch validate {
            case .object(let rules):
                if case .string(let pattern)? = rules["pattern"], (try? NSRegularExpression(pattern: pattern)) == nil {
                    problems.append(SpecProblem(
                        path: JSONPath.appending(key: "pattern", to: here("validate")),
                        message: "not a valid regular expression"))
                    ok = false
                }
            case .bool: break
            default: fail("validate", "validate must be an object of rules (or false for a select)")
            }
        }
        guard ok else { return nil }
        var label: String?
        if case .string(let text)? = object["label"] { label = text }
        return ParameterSpec(
            name: name, type: kind, label: label, required: flags["required"] ?? false,
            defaultValue: object["default"], editable: flags["editable"] ?? true, validate: object["validate"],
            options: options)
    }
}
