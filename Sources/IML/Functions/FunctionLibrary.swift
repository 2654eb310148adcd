/// Every built-in function of iml.md §7, by name.
enum FunctionLibrary {
    private static let table: [String: BuiltinFunction] = {
        let groups: [[BuiltinFunction]] = [
            GeneralFunctions.all, TextFunctions.all, HashFunctions.all, ArrayFunctions.all, DateFunctions.all,
            MathFunctions.all, JSONFunctions.all,
        ]
        var table: [String: BuiltinFunction] = [:]
        for function in groups.joined() {
            precondition(table[function.name] == nil, "duplicate built-in \(function.name)")
            table[function.name] = function
        }
        return table
    }()

    /// The function named exactly `name` (case-sensitive), or `nil`.
    static func function(named name: String) -> BuiltinFunction? {
        table[name]
    }

    /// The names of all built-in functions, sorted.
    static var names: [String] { table.keys.sorted() }
}

extension Array where Element == Value {
    /// The argument at `index`, or Undefined when the call has fewer arguments.
    subscript(argument index: Int) -> Value {
        index < count ? self[index] : .undefined
    }
}

extension Value {
    /// AsArray (iml.md §7.1): an Array as it is, Undefined/Null as `[]`, anything else as `[value]`.
    var asArray: [Value] {
        switch self {
        case .array(let elements): elements
        case .undefined, .null: []
        default: [self]
        }
    }
}
