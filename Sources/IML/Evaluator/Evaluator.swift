/// Evaluation of parsed expressions (iml.md §5).
extension Expression {
    /// Largest string, binary or collection an evaluation may build (iml.md §8.2, `E_LIMIT`).
    static let sizeLimit = 16 * 1024 * 1024

    func evaluate(_ evaluation: inout Evaluation) throws(RuntimeProblem) -> Value {
        switch self {
        case .literal(let value):
            return value
        case .variable(let name):
            return evaluation.context.variable(name)
        case .now:
            return .date(evaluation.context.now)
        case .timestamp:
            let (seconds, _) = CivilTime.floorDivide(evaluation.context.now.millisecondsSinceEpoch, 1000)
            return .number(Number(seconds))
        case .postfix(let base, let accessors):
            var value = try base.evaluate(&evaluation)
            for accessor in accessors {
                switch accessor {
                case .name(let name): value = Lookup.member(value, name)
                case .index(let index): value = Lookup.index(value, try index.evaluate(&evaluation))
                case .first: value = Lookup.first(value)
                }
            }
            return value
        case .not(let operand):
            return .bool(!(try operand.evaluate(&evaluation).isTruthy))
        case .negate(let operand):
            return .number(Number(-(try operand.evaluate(&evaluation).numericValue)))
        case .chain(let first, let rest):
            var value = try first.evaluate(&evaluation)
            for link in rest {
                let right = try link.operand.evaluate(&evaluation)
                do {
                    value = try Operators.apply(link.binary, value, right)
                } catch {
                    throw RuntimeProblem(code: error.code, start: link.start, token: "+", message: error.message)
                }
            }
            return value
        case .and(let operands):
            var value = Value.undefined
            for operand in operands {
                value = try operand.evaluate(&evaluation)
                if !value.isTruthy { return value }
            }
            return value
        case .or(let operands):
            var value = Value.undefined
            for operand in operands {
                value = try operand.evaluate(&evaluation)
                if value.isTruthy { return value }
            }
            return value
        case .call(let call):
            return try call.evaluate(&evaluation)
        case .conditional(let condition, let then, let otherwise):
            if try condition.evaluate(&evaluation).isTruthy { return try then.evaluate(&evaluation) }
            return try otherwise?.evaluate(&evaluation) ?? .undefined
        case .ifEmpty(let value, let fallback):
            let primary = try value.evaluate(&evaluation)
            switch primary {
            case .undefined, .null: return try fallback.evaluate(&evaluation)
            case .string(let text) where text.isEmpty: return try fallback.evaluate(&evaluation)
            default: return primary
            }
        case .switchCase(let subject, let cases):
            let value = try subject.evaluate(&evaluation)
            var index = 0
            while index + 1 < cases.count {
                if try cases[index].evaluate(&evaluation) == value { return try cases[index + 1].evaluate(&evaluation) }
                index += 2
            }
            return index < cases.count ? try cases[index].evaluate(&evaluation) : .undefined
        }
    }
}

extension Expression.Call {
    func evaluate(_ evaluation: inout Evaluation) throws(RuntimeProblem) -> Value {
        var values: [Value] = []
        values.reserveCapacity(arguments.count)
        for argument in arguments { values.append(try argument.evaluate(&evaluation)) }
        let result: Value
        do {
            result = try body(values, &evaluation)
        } catch {
            throw RuntimeProblem(code: error.code, start: start, token: name, message: error.message)
        }
        guard result.isWithinSizeLimit else {
            throw RuntimeProblem(
                code: .limit, start: start, token: name,
                message: "the result of '\(name)' is larger than 16 MiB")
        }
        return result
    }
}

extension Value {
    /// Whether a string, binary or collection stays within the 16 MiB evaluation limit.
    var isWithinSizeLimit: Bool {
        switch self {
        case .string(let text): text.utf8.count <= Expression.sizeLimit
        case .binary(let bytes): bytes.count <= Expression.sizeLimit
        case .array(let elements): elements.count <= Expression.sizeLimit
        case .object(let object): object.count <= Expression.sizeLimit
        default: true
        }
    }
}
