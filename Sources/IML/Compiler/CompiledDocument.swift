/// A compiled JSON document whose string leaves are templates: a whole spec value, compiled once and evaluated
/// many times (thread-safe).
///
/// Strings are evaluated by the typing rule, arrays element by element, objects member by member with literal
/// keys, except the spread key `{{...}}` (iml.md §2.5); numbers, booleans and null pass through.
public struct CompiledDocument: Sendable {
    /// The spread key.
    public static let spreadKey = "{{...}}"

    let root: Node

    indirect enum Node: Sendable {
        /// A subtree without templates, returned as it is.
        case constant(Value)
        case string(CompiledString)
        case array([Node])
        case object([Member])
    }

    enum Member: Sendable {
        case fixed(String, Node)
        /// A spread member; `location` is its JSON path.
        case spread(Node, location: String)
    }

    /// Compiles every template in `document`.
    /// - Parameters:
    ///   - document: the spec value (typically parsed from JSONC).
    ///   - location: the JSON path of `document` in its spec (`communication`), prefixed to error locations.
    /// - Throws: ``IMLCompileErrors`` listing every compile error, each with its JSON path and column.
    public init(_ document: Value, location: String = "") throws(IMLCompileErrors) {
        var problems: [IMLError] = []
        let root = CompiledDocument.compile(document, location: location, problems: &problems)
        guard problems.isEmpty else { throw IMLCompileErrors(problems) }
        self.root = root
    }

    /// Every compile error in `document`, in document order; empty when it compiles.
    public static func problems(in document: Value, location: String = "") -> [IMLError] {
        var problems: [IMLError] = []
        _ = compile(document, location: location, problems: &problems)
        return problems
    }

    private static func compile(_ value: Value, location: String, problems: inout [IMLError]) -> Node {
        switch value {
        case .string(let text):
            guard let compiled = CompiledString.compile(text, location: location, problems: &problems) else {
                return .constant(.undefined)
            }
            return compiled.isLiteral ? .constant(value) : .string(compiled)
        case .array(let elements):
            let nodes = elements.enumerated().map { index, element in
                compile(element, location: JSONPath.appending(index: index, to: location), problems: &problems)
            }
            if nodes.allSatisfy(\.isConstant) { return .constant(value) }
            return .array(nodes)
        case .object(let object):
            var members: [Member] = []
            members.reserveCapacity(object.count)
            var allConstant = true
            for (key, member) in object {
                let path = JSONPath.appending(key: key, to: location)
                let node = compile(member, location: path, problems: &problems)
                if key == spreadKey {
                    members.append(.spread(node, location: path))
                    allConstant = false
                } else {
                    members.append(.fixed(key, node))
                    allConstant = allConstant && node.isConstant
                }
            }
            if allConstant { return .constant(value) }
            return .object(members)
        default:
            return .constant(value)
        }
    }

    /// Whether the document contains no templates and no spread (it evaluates to itself).
    public var isConstant: Bool { root.isConstant }

    /// Evaluates the document against `context`; the clock is read once, so every `now` agrees.
    /// - Throws: a runtime ``IMLError`` (iml.md §8.2), with the JSON path of the failing string.
    public func evaluate(in context: EvaluationContext) throws(IMLError) -> Value {
        var evaluation = Evaluation(context: context)
        return try root.evaluate(&evaluation)
    }
}

extension CompiledDocument.Node {
    var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }

    func evaluate(_ evaluation: inout Evaluation) throws(IMLError) -> Value {
        switch self {
        case .constant(let value):
            return value
        case .string(let compiled):
            return try compiled.evaluate(&evaluation)
        case .array(let nodes):
            var elements: [Value] = []
            elements.reserveCapacity(nodes.count)
            for node in nodes { elements.append(try node.evaluate(&evaluation)) }
            return .array(elements)
        case .object(let members):
            var object = Object(minimumCapacity: members.count)
            // The fixed keys are an object's keys, so distinct: until a spread adds others, each is appended unsearched.
            var spreadAdded = false
            for member in members {
                switch member {
                case .fixed(let key, let node):
                    if spreadAdded {
                        object.updateValue(try node.evaluate(&evaluation), forKey: key)
                    } else {
                        object.appendNew(try node.evaluate(&evaluation), forKey: key)
                    }
                case .spread(let node, let location):
                    switch try node.evaluate(&evaluation) {
                    case .undefined, .null:
                        break
                    case .object(let spread):
                        spreadAdded = true
                        for (key, value) in spread { object.updateValue(value, forKey: key) }
                    default:
                        var template = ""
                        if case .string(let compiled) = node { template = compiled.source }
                        if case .constant(.string(let text)) = node { template = text }
                        throw IMLError(
                            phase: .runtime, code: .spread, location: location, template: template, column: 1,
                            token: CompiledDocument.spreadKey, message: "the spread value is not an object")
                    }
                }
            }
            return .object(object)
        }
    }
}
