/// JSON functions (iml.md §7.8): `createJSON`, `parseJSON`.
enum JSONFunctions {
    static let all: [BuiltinFunction] = [
        BuiltinFunction("createJSON", arity: 1...1) { arguments, _ in
            arguments[0].compactJSONIfDefined().map(Value.string) ?? .undefined
        },
        BuiltinFunction("parseJSON", arity: 1...1) { arguments, _ in
            let options = JSONParser.Options(keepsExactIntegers: false)
            switch arguments[0] {
            case .string(let text): return (try? JSONParser.parse(text.utf8, options: options)) ?? .undefined
            case .binary(let bytes): return (try? JSONParser.parse(bytes, options: options)) ?? .undefined
            default: return .undefined
            }
        },
    ]
}
