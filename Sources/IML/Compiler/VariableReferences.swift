/// Which root variables a compiled document reads.
///
/// Root variables are read only through `.variable` expressions (built-in functions see their arguments, the
/// clock and the random source, never the variables), so a walk of the compiled templates answers exactly.
extension CompiledDocument {
    /// Whether any template of the document reads the root variable `name` (e.g. `headers`), directly or in a
    /// spread.
    public func readsVariable(_ name: String) -> Bool {
        root.readsVariable(name)
    }
}

extension CompiledDocument.Node {
    func readsVariable(_ name: String) -> Bool {
        switch self {
        case .constant: false
        case .string(let string): string.readsVariable(name)
        case .array(let nodes): nodes.contains { $0.readsVariable(name) }
        case .object(let members):
            members.contains { member in
                switch member {
                case .fixed(_, let node), .spread(let node, _): node.readsVariable(name)
                }
            }
        }
    }
}

extension CompiledString {
    func readsVariable(_ name: String) -> Bool {
        switch body {
        case .literal: false
        case .single(let expression): expression.readsVariable(name)
        case .mixed(let segments, _):
            segments.contains { segment in
                if case .tag(let expression) = segment { expression.readsVariable(name) } else { false }
            }
        }
    }
}

extension Expression {
    func readsVariable(_ name: String) -> Bool {
        switch self {
        case .literal, .now, .timestamp: false
        case .variable(let variable): variable == name
        case .postfix(let base, let accessors):
            base.readsVariable(name)
                || accessors.contains { if case .index(let index) = $0 { index.readsVariable(name) } else { false } }
        case .not(let operand), .negate(let operand): operand.readsVariable(name)
        case .chain(let first, let links): first.readsVariable(name) || links.contains { $0.operand.readsVariable(name) }
        case .and(let operands), .or(let operands): operands.contains { $0.readsVariable(name) }
        case .call(let call): call.arguments.contains { $0.readsVariable(name) }
        case .conditional(let condition, let then, let otherwise):
            condition.readsVariable(name) || then.readsVariable(name) || otherwise?.readsVariable(name) == true
        case .ifEmpty(let value, let fallback): value.readsVariable(name) || fallback.readsVariable(name)
        case .switchCase(let value, let rest): value.readsVariable(name) || rest.contains { $0.readsVariable(name) }
        }
    }
}
