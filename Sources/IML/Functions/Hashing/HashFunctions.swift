/// Hashing and signing functions (iml.md §7.4): `md5`, `sha1`, `sha256`, `sha512` (with HMAC keys) and `jwt`.
enum HashFunctions {
    static let all: [BuiltinFunction] = [
        BuiltinFunction("md5", arity: 1...1) { arguments, _ in
            .string(HexText.encode(Crypto.digest(.md5, arguments[0].bytes)))
        },
        shaFunction("sha1", .sha1),
        shaFunction("sha256", .sha256),
        shaFunction("sha512", .sha512),
        BuiltinFunction("jwt", arity: 2...4) { arguments, evaluation throws(FunctionFailure) in
            try JSONWebToken.sign(
                payload: arguments[0], secret: arguments[1], algorithm: arguments[argument: 2],
                options: arguments[argument: 3], now: evaluation.context.now)
        },
    ]

    static let outputEncodings: Set<String> = ["hex", "base64", "latin1"]
    static let keyEncodings: Set<String> = ["text", "hex", "base64", "binary"]

    private static func shaFunction(_ name: String, _ algorithm: Crypto.Algorithm) -> BuiltinFunction {
        BuiltinFunction(name, arity: 1...4, check: checkLiteralEncodings) { arguments, _ throws(FunctionFailure) in
            let encoding = try outputEncoding(arguments[argument: 1])
            let data = arguments[0].bytes
            let digest: [UInt8]
            if let key = try keyBytes(arguments[argument: 2], encoding: arguments[argument: 3]) {
                digest = Crypto.hmac(algorithm, key: key, data: data)
            } else {
                digest = Crypto.digest(algorithm, data)
            }
            return .string(encode(digest, as: encoding))
        }
    }

    /// The output encoding name; Undefined, Null and `""` mean `hex`.
    private static func outputEncoding(_ value: Value) throws(FunctionFailure) -> String {
        switch value {
        case .undefined, .null: return "hex"
        default:
            let name = value.text
            if name.isEmpty { return "hex" }
            guard outputEncodings.contains(name) else {
                throw FunctionFailure(.encoding, "unknown output encoding; expected hex, base64 or latin1")
            }
            return name
        }
    }

    /// The HMAC key bytes, or `nil` for a plain hash (no key, Undefined, Null or `""`).
    private static func keyBytes(_ key: Value, encoding: Value) throws(FunctionFailure) -> [UInt8]? {
        var encodingName = "text"
        switch encoding {
        case .undefined, .null: break
        default:
            let name = encoding.text
            if !name.isEmpty {
                guard keyEncodings.contains(name) else {
                    throw FunctionFailure(.encoding, "unknown key encoding; expected text, hex, base64 or binary")
                }
                encodingName = name
            }
        }
        switch key {
        case .undefined, .null: return nil
        case .string(let text) where text.isEmpty: return nil
        case .binary(let bytes): return bytes
        default: break
        }
        let text = key.text
        switch encodingName {
        case "hex":
            guard let bytes = BinaryEncoding.hexDecode(text.utf8) else {
                throw FunctionFailure(.key, "the HMAC key is not valid hex")
            }
            return bytes
        case "base64":
            guard let bytes = Base64.decode(text.utf8) else {
                throw FunctionFailure(.key, "the HMAC key is not valid base64")
            }
            return bytes
        case "binary":
            throw FunctionFailure(.key, "the key encoding 'binary' needs a Binary key")
        default:
            return Array(text.utf8)
        }
    }

    static func encode(_ digest: [UInt8], as encoding: String) -> String {
        switch encoding {
        case "base64": return Base64.encodedString(digest)
        case "latin1":
            var view = String.UnicodeScalarView()
            for byte in digest { view.append(Unicode.Scalar(byte)) }
            return String(view)
        default: return HexText.encode(digest)
        }
    }

    /// Compile-time check: literal output and key encoding names must be known.
    static let checkLiteralEncodings: BuiltinFunction.Check = { arguments in
        if arguments.count > 1, case .string(let name)? = arguments[1].literal, !name.isEmpty,
            !outputEncodings.contains(name)
        {
            return CompileProblem(
                .encoding, at: arguments[1].start, token: arguments[1].lexeme,
                "unknown output encoding; expected hex, base64 or latin1")
        }
        if arguments.count > 3, case .string(let name)? = arguments[3].literal, !name.isEmpty,
            !keyEncodings.contains(name)
        {
            return CompileProblem(
                .encoding, at: arguments[3].start, token: arguments[3].lexeme,
                "unknown key encoding; expected text, hex, base64 or binary")
        }
        return nil
    }
}
