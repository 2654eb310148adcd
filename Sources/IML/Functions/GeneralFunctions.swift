/// General functions (iml.md §7.2): `get`, `if`, `ifempty`, `switch`, `omit`, `pick`.
enum GeneralFunctions {
    static let all: [BuiltinFunction] = [
        BuiltinFunction("get", arity: 2...2) { arguments, _ in
            Lookup.path(arguments[0], arguments[1])
        },
        BuiltinFunction("if", arity: 2...3, lazy: .conditional),
        BuiltinFunction("ifempty", arity: 2...2, lazy: .ifEmpty),
        BuiltinFunction("switch", arity: BuiltinFunction.atLeast(3), lazy: .switchCase),
        BuiltinFunction("omit", arity: BuiltinFunction.atLeast(2)) { arguments, _ in
            guard case .object(var object) = arguments[0] else { return .undefined }
            for key in keyList(arguments.dropFirst()) { object.removeValue(forKey: key) }
            return .object(object)
        },
        BuiltinFunction("pick", arity: BuiltinFunction.atLeast(2)) { arguments, _ in
            guard case .object(let object) = arguments[0] else { return .undefined }
            var picked = Object()
            picked.ignoresKeyCase = object.ignoresKeyCase
            for key in keyList(arguments.dropFirst()) {
                if let value = object[key], picked[key] == nil { picked.updateValue(value, forKey: key) }
            }
            return .object(picked)
        },
    ]

    /// The keys named by `omit`/`pick` arguments: each ToText, an Array contributing each element.
    private static func keyList(_ arguments: ArraySlice<Value>) -> [String] {
        var keys: [String] = []
        for argument in arguments {
            if case .array(let elements) = argument {
                keys.append(contentsOf: elements.map(\.text))
            } else {
                keys.append(argument.text)
            }
        }
        return keys
    }
}
