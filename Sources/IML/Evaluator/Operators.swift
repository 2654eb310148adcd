/// The binary operators of iml.md §5.6.
enum Operators {
    static func apply(_ binary: BinaryOperator, _ left: Value, _ right: Value) throws(FunctionFailure) -> Value {
        switch binary {
        case .plus: return try plus(left, right)
        case .minus: return .number(Number(left.numericValue - right.numericValue))
        case .times: return .number(Number(left.numericValue * right.numericValue))
        case .divide: return .number(Number(left.numericValue / right.numericValue))
        case .remainder:
            return .number(Number(left.numericValue.truncatingRemainder(dividingBy: right.numericValue)))
        case .equal: return .bool(left == right)
        case .notEqual: return .bool(left != right)
        case .less, .lessEqual, .greater, .greaterEqual: return .bool(compare(binary, left, right))
        }
    }

    /// `+`: text concatenation when either side is a String, else numeric addition.
    static func plus(_ left: Value, _ right: Value) throws(FunctionFailure) -> Value {
        switch (left, right) {
        case (.string(var text), _):
            right.appendText(to: &text)
            return try checked(text)
        case (_, .string(let text)):
            var result = left.text
            result.append(text)
            return try checked(result)
        default:
            return .number(Number(left.numericValue + right.numericValue))
        }
    }

    private static func checked(_ text: String) throws(FunctionFailure) -> Value {
        guard text.utf8.count <= Expression.sizeLimit else {
            throw FunctionFailure(.limit, "a string is larger than 16 MiB")
        }
        return .string(text)
    }

    /// Relational comparison: UTF-16 order for two strings, else numeric with NaN giving `false`.
    static func compare(_ binary: BinaryOperator, _ left: Value, _ right: Value) -> Bool {
        if case .string(let leftText) = left, case .string(let rightText) = right {
            switch binary {
            case .less: return StringBytes.lessThanUTF16(leftText, rightText)
            case .lessEqual: return !StringBytes.lessThanUTF16(rightText, leftText)
            case .greater: return StringBytes.lessThanUTF16(rightText, leftText)
            default: return !StringBytes.lessThanUTF16(leftText, rightText)
            }
        }
        let leftNumber = left.numericValue
        let rightNumber = right.numericValue
        switch binary {
        case .less: return leftNumber < rightNumber
        case .lessEqual: return leftNumber <= rightNumber
        case .greater: return leftNumber > rightNumber
        default: return leftNumber >= rightNumber
        }
    }
}
