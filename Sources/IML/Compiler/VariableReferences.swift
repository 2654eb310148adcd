/// Which root variables a compiled document reads.
///
/// Root variables are read only through `.variable` expressions (built-in functions see their arguments, the
/// clock and the random source, never the variables), so a walk of the compiled templates answers exactly.
extension CompiledDocument {
    /// Whether any template of the document reads the root variable `name` (e.g. `headers`), directly or in a
    /// spread.
    public func readsVariable(_ name: String) -> Bool {
        root.readsVariable(name, members: nil)
    }

    /// Whether any template of the document may read one of `members` of the root variable `name`: as
    /// `name.member` (or ``name.`member` ``), or through `name` itself — whole, or indexed by an expression —
    /// which can reach every member.
    public func mayReadMember(of name: String, in members: Set<String>) -> Bool {
        root.readsVariable(name, members: members)
    }
}

/// The walks below answer both questions: `members` nil means any read of `name`, else a read that may reach one
/// of `members`.
extension CompiledDocument.Node {
    func readsVariable(_ name: String, members: Set<String>?) -> Bool {
        switch self {
        case .constant: false
        case .string(let string): string.readsVariable(name, members: members)
        case .array(let nodes): nodes.contains { $0.readsVariable(name, members: members) }
        case .object(let objectMembers):
            objectMembers.contains { member in
                switch member {
                case .fixed(_, let node), .spread(let node, _): node.readsVariable(name, members: members)
                }
            }
        }
    }
}

extension CompiledString {
    func readsVariable(_ name: String, members: Set<String>?) -> Bool {
        switch body {
        case .literal: false
        case .single(let expression): expression.readsVariable(name, members: members)
        case .mixed(let segments, _):
            segments.contains { segment in
                if case .tag(let expression) = segment { expression.readsVariable(name, members: members) } else { false }
            }
        }
    }
}

extension Expression {
    func readsVariable(_ name: String, members: Set<String>?) -> Bool {
        func reads(_ expression: Expression) -> Bool { expression.readsVariable(name, members: members) }
        switch self {
        case .literal, .now, .timestamp: return false
        case .variable(let variable): return variable == name
        case .postfix(let base, let accessors):
            let indexesRead = accessors.contains { if case .index(let index) = $0 { reads(index) } else { false } }
            if let members, case .variable(name) = base, case .name(let member)? = accessors.first {
                return members.contains(member) || indexesRead
            }
            return reads(base) || indexesRead
        case .not(let operand), .negate(let operand): return reads(operand)
        case .chain(let first, let links): return reads(first) || links.contains { reads($0.operand) }
        case .and(let operands), .or(let operands): return operands.contains(where: reads)
        case .call(let call): return call.arguments.contains(where: reads)
        case .conditional(let condition, let then, let otherwise):
            return reads(condition) || reads(then) || otherwise.map(reads) == true
        case .ifEmpty(let value, let fallback): return reads(value) || reads(fallback)
        case .switchCase(let value, let rest): return reads(value) || rest.contains(where: reads)
        }
    }
}
