/// `jwt(payload, secret, [algorithm], [options])`, following the `jsonwebtoken` conventions (iml.md §7.4).
enum JSONWebToken {
    static func sign(payload: Value, secret: Value, algorithm: Value, options: Value, now: Instant)
        throws(FunctionFailure) -> Value
    {
        let name: String
        switch algorithm {
        case .undefined, .null: name = "HS256"
        default: name = algorithm.text.isEmpty ? "HS256" : algorithm.text
        }
        let hmacAlgorithm: Crypto.Algorithm?
        switch name {
        case "HS256": hmacAlgorithm = .sha256
        case "HS384": hmacAlgorithm = .sha384
        case "HS512": hmacAlgorithm = .sha512
        case "RS256": hmacAlgorithm = nil
        default: throw FunctionFailure(.jwt, "unsupported JWT algorithm; expected HS256, HS384, HS512 or RS256")
        }
        let secretBytes = secret.bytes
        guard !secretBytes.isEmpty, !secret.isUndefined else {
            throw FunctionFailure(.jwt, "the JWT secret is missing")
        }
        let optionObject = options.objectValue ?? Object()

        var header: Object = ["alg": .string(name)]
        let payloadSegment: [UInt8]
        switch payload {
        case .object(let claims):
            header["typ"] = "JWT"
            if let keyID = optionObject["keyid"], !keyID.isUndefined { header["kid"] = keyID }
            payloadSegment = try claimsJSON(claims, options: optionObject, now: now)
        case .string(let text):
            if let keyID = optionObject["keyid"], !keyID.isUndefined { header["kid"] = keyID }
            payloadSegment = Array(text.utf8)
        default:
            throw FunctionFailure(.jwt, "the JWT payload must be an object or a string")
        }
        if case .object(let extra)? = optionObject["header"] {
            for (key, value) in extra { header.updateValue(value, forKey: key) }
        }
        var signingInput: [UInt8] = []
        Base64.encode(Value.object(header).compactJSONBytes(), into: &signingInput, urlSafe: true)
        signingInput.append(UInt8(ascii: "."))
        Base64.encode(payloadSegment, into: &signingInput, urlSafe: true)

        let signature: [UInt8]
        if let hmacAlgorithm {
            signature = Crypto.hmac(hmacAlgorithm, key: secretBytes, data: signingInput)
        } else {
            guard let rsa = Crypto.rsaSHA256Signature(pem: secretBytes, data: signingInput) else {
                throw FunctionFailure(.jwt, "the RS256 secret is not a readable PEM RSA private key")
            }
            signature = rsa
        }
        signingInput.append(UInt8(ascii: "."))
        Base64.encode(signature, into: &signingInput, urlSafe: true)
        return .string(String(decoding: signingInput, as: UTF8.self))
    }

    /// The compact JSON of the claims with `iat`, `nbf`, `exp`, `aud`, `iss`, `sub` and `jti` from the options.
    private static func claimsJSON(_ original: Object, options: Object, now: Instant) throws(FunctionFailure)
        -> [UInt8]
    {
        var claims = original
        let (seconds, _) = CivilTime.floorDivide(now.millisecondsSinceEpoch, 1000)
        var issuedAt = Double(seconds)
        if let iat = claims["iat"], !iat.isUndefined {
            guard case .number(let number) = iat else { throw nonNumericClaim("iat") }
            issuedAt = number.double
        } else if !(options["noTimestamp"]?.isTruthy ?? false) {
            claims["iat"] = .number(Number(seconds))
        }
        if case .number(let offset)? = options["notBefore"] {
            claims["nbf"] = .number(Number(issuedAt + offset.double))
        }
        if case .number(let offset)? = options["expiresIn"] {
            claims["exp"] = .number(Number(issuedAt + offset.double))
        }
        for (option, claim) in [("audience", "aud"), ("issuer", "iss"), ("subject", "sub"), ("jwtid", "jti")] {
            if let value = options[option], !value.isUndefined { claims[claim] = value }
        }
        for claim in ["exp", "nbf"] {
            if let value = claims[claim], !value.isUndefined, value.numberValue == nil {
                throw nonNumericClaim(claim)
            }
        }
        return Value.object(claims).compactJSONBytes()
    }

    private static func nonNumericClaim(_ name: String) -> FunctionFailure {
        FunctionFailure(.jwt, "the JWT claim '\(name)' must be a number")
    }
}
