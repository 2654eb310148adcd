/// Text functions (iml.md §7.3). Text arguments go through ToText, so Undefined and Null act as `""`.
enum TextFunctions {
    static let all: [BuiltinFunction] = [
        BuiltinFunction("ascii", arity: 1...2) { arguments, _ in
            .string(ascii(arguments[0].text, removeDiacritics: arguments[argument: 1].isTruthy))
        },
        BuiltinFunction("base64", arity: 1...1) { arguments, _ in
            if case .string(let text) = arguments[0] { return .string(Base64.encodedString(text.utf8)) }
            return .string(Base64.encodedString(arguments[0].bytes))
        },
        BuiltinFunction("capitalize", arity: 1...1) { arguments, _ in
            .string(capitalize(arguments[0].text))
        },
        BuiltinFunction("contains", arity: 2...2) { arguments, _ in
            switch arguments[0] {
            case .string(let haystack): .bool(TextSearch.contains(haystack, arguments[1].text))
            case .array(let elements): .bool(elements.contains(arguments[1]))
            default: .bool(false)
            }
        },
        BuiltinFunction("decodeURL", arity: 1...1) { arguments, _ in
            let text = arguments[0].text
            return .string(URLEncoding.decodeComponent(text) ?? text)
        },
        BuiltinFunction("encodeURL", arity: 1...1) { arguments, _ in
            .string(URLEncoding.encodeComponent(arguments[0].text))
        },
        BuiltinFunction("escapeHTML", arity: 1...1) { arguments, _ in
            .string(escapeHTML(arguments[0].text))
        },
        BuiltinFunction("escapeMarkdown", arity: 1...1) { arguments, _ in
            .string(escapeMarkdown(arguments[0].text))
        },
        BuiltinFunction("indexOf", arity: 2...3) { arguments, _ in
            let start = arguments[argument: 2].numericValue
            return .number(TextSearch.indexOf(arguments[0].text, arguments[1].text, from: start))
        },
        BuiltinFunction("length", arity: 1...1) { arguments, _ in
            switch arguments[0] {
            case .string(let text): .number(text.utf16.count)
            case .binary(let bytes): .number(bytes.count)
            case .array(let elements): .number(elements.count)
            case .object(let object): .number(object.count)
            default: .number(arguments[0].text.utf16.count)
            }
        },
        BuiltinFunction("lower", arity: 1...1) { arguments, _ in
            .string(arguments[0].text.lowercased())
        },
        BuiltinFunction("upper", arity: 1...1) { arguments, _ in
            .string(arguments[0].text.uppercased())
        },
        BuiltinFunction("mime", arity: 1...1) { arguments, _ in
            MimeTypes.type(forFilename: arguments[0].text).map(Value.string) ?? .undefined
        },
        BuiltinFunction("replace", arity: 3...3, check: Replace.checkLiteralPattern) {
            arguments, _ throws(FunctionFailure) in
            .string(try Replace.replace(arguments[0].text, search: arguments[1].text, with: arguments[2].text))
        },
        BuiltinFunction("replaceEmojiCharacters", arity: 1...2) { arguments, _ in
            .string(Emoji.replace(in: arguments[0].text, with: arguments[argument: 1].text))
        },
        BuiltinFunction("split", arity: 1...2) { arguments, _ in
            let text = arguments[0].text
            let separator = arguments[argument: 1]
            if separator.isUndefined { return .array([.string(text)]) }
            return .array(TextSearch.split(text, separator.text).map(Value.string))
        },
        BuiltinFunction("startcase", arity: 1...1) { arguments, _ in
            .string(startCase(arguments[0].text))
        },
        BuiltinFunction("stripHTML", arity: 1...1) { arguments, _ in
            .string(stripHTML(arguments[0].text))
        },
        BuiltinFunction("substring", arity: 2...3) { arguments, _ in
            .string(substring(arguments[0].text, arguments[1], arguments[argument: 2]))
        },
        BuiltinFunction("toBinary", arity: 1...2, check: BinaryEncoding.checkLiteralEncoding) {
            arguments, _ throws(FunctionFailure) in
            try BinaryEncoding.toBinary(arguments[0], encoding: arguments[argument: 1])
        },
        BuiltinFunction("toString", arity: 1...1) { arguments, _ in
            .string(arguments[0].text)
        },
        BuiltinFunction("trim", arity: 1...1) { arguments, _ in
            .string(String(NumericText.trimmed(arguments[0].text)))
        },
    ]

    static func ascii(_ text: String, removeDiacritics: Bool) -> String {
        var view = String.UnicodeScalarView()
        let source = removeDiacritics ? UnicodeNormalization.nfd(text) : text
        for scalar in source.unicodeScalars where scalar.isASCII {
            view.append(scalar)
        }
        return String(view)
    }

    static func capitalize(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        var result = first.properties.uppercaseMapping
        result.unicodeScalars.append(contentsOf: text.unicodeScalars.dropFirst())
        return result
    }

    static func escapeHTML(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func escapeMarkdown(_ text: String) -> String {
        let special: Set<Unicode.Scalar> = [
            "\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "+", "-", ".", "!", "|", "<", ">", "~",
        ]
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if special.contains(scalar) { result.append("\\") }
            result.append(scalar)
        }
        return String(result)
    }

    static func startCase(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var atWordStart = true
        for scalar in text.unicodeScalars {
            if NumericText.isJavaScriptWhitespace(scalar) {
                result.unicodeScalars.append(scalar)
                atWordStart = true
            } else if atWordStart {
                result += scalar.properties.uppercaseMapping
                atWordStart = false
            } else {
                result += scalar.properties.lowercaseMapping
            }
        }
        return result
    }

    static func stripHTML(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "<", let close = scalars[(index + 1)...].firstIndex(of: ">") {
                index = close + 1
                continue
            }
            result.append(scalars[index])
            index += 1
        }
        return String(result)
    }

    /// JavaScript `substring` on UTF-16 code units.
    static func substring(_ text: String, _ start: Value, _ end: Value) -> String {
        let units = Array(text.utf16)
        func bound(_ value: Value, default fallback: Int) -> Int {
            if case .undefined = value { return fallback }
            let number = value.numericValue
            if number.isNaN { return 0 }
            return Int(max(0, min(Double(units.count), number.rounded(.towardZero))))
        }
        var lower = bound(start, default: 0)
        var upper = bound(end, default: units.count)
        if lower > upper { swap(&lower, &upper) }
        return String(decoding: units[lower..<upper], as: UTF16.self)
    }
}

extension Value {
    /// The bytes of the value: Binary as it is, anything else the UTF-8 of its ToText.
    var bytes: [UInt8] {
        if case .binary(let bytes) = self { return bytes }
        return Array(text.utf8)
    }
}
