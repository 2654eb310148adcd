/// The client's side of one Digest challenge: credentials, nonce count and cnonce, producing
/// `Authorization` values for successive requests that use the same nonce (RFC 7616 §3.4).
///
/// `description` never shows the credentials.
struct DigestSession: Sendable, CustomStringConvertible {
    let challenge: DigestChallenge
    private let username: String
    private let password: String
    /// Random, fixed for the session (an `-sess` A1 depends on it).
    private let cnonce: String
    /// Requests answered with this nonce so far.
    private(set) var nonceCount: UInt32 = 0

    init(challenge: DigestChallenge, username: String, password: String, cnonce: String? = nil) {
        self.challenge = challenge
        self.username = username
        self.password = password
        self.cnonce = cnonce ?? Self.randomCnonce()
    }

    var description: String {
        "DigestSession(\(challenge.algorithmName), realm: \(challenge.realm), nc: \(nonceCount))"
    }

    /// The `Authorization` value for the next request (`method`, request-target `uri`, `body` for auth-int).
    mutating func authorization(method: String, uri: String, body: [UInt8]) -> String {
        nonceCount += 1
        let nc = Self.nonceCountText(nonceCount)
        let response = Self.response(
            hash: challenge.hash, session: challenge.session, username: username, realm: challenge.realm,
            password: password, nonce: challenge.nonce, nc: nc, cnonce: cnonce, protection: challenge.protection,
            method: method, uri: uri, body: body)
        var fields: [String] = []
        if challenge.userhash {
            fields.append("username=\(Self.quoted(challenge.hash.hex("\(username):\(challenge.realm)")))")
        } else if challenge.charsetUTF8, !username.allSatisfy(\.isASCII) {
            fields.append("username*=UTF-8''\(Self.percentEncoded(username))")
        } else {
            fields.append("username=\(Self.quoted(username))")
        }
        fields.append("realm=\(Self.quoted(challenge.realm))")
        fields.append("uri=\(Self.quoted(uri))")
        if challenge.algorithmGiven { fields.append("algorithm=\(challenge.algorithmName)") }
        fields.append("nonce=\(Self.quoted(challenge.nonce))")
        if let protection = challenge.protection {
            fields.append("nc=\(nc)")
            fields.append("cnonce=\(Self.quoted(cnonce))")
            fields.append("qop=\(protection.rawValue)")
        }
        fields.append("response=\(Self.quoted(response))")
        if let opaque = challenge.opaque { fields.append("opaque=\(Self.quoted(opaque))") }
        if challenge.userhash { fields.append("userhash=true") }
        return "Digest " + fields.joined(separator: ", ")
    }

    /// The `response` value (RFC 7616 §3.4.1; RFC 2069 form when `protection` is `nil`).
    static func response(
        hash: DigestHashFunction, session: Bool, username: String, realm: String, password: String,
        nonce: String, nc: String, cnonce: String, protection: DigestChallenge.Protection?, method: String,
        uri: String, body: [UInt8]
    ) -> String {
        var ha1 = hash.hex("\(username):\(realm):\(password)")
        if session { ha1 = hash.hex("\(ha1):\(nonce):\(cnonce)") }
        let a2 = protection == .authInt ? "\(method):\(uri):\(hash.hex(body))" : "\(method):\(uri)"
        let ha2 = hash.hex(a2)
        guard let protection else { return hash.hex("\(ha1):\(nonce):\(ha2)") }
        return hash.hex("\(ha1):\(nonce):\(nc):\(cnonce):\(protection.rawValue):\(ha2)")
    }

    /// Eight lower-case hex digits.
    static func nonceCountText(_ count: UInt32) -> String {
        let digits = String(count, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    private static func randomCnonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// A quoted-string with `"` and `\` escaped.
    private static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }

    /// RFC 5987 `value-chars`: attribute characters kept, every other UTF-8 byte as `%XX`.
    private static func percentEncoded(_ text: String) -> String {
        let keep = Set("!#$&+-.^_`|~".utf8)
        var result = ""
        for byte in text.utf8 {
            let isAlphanumeric =
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            if isAlphanumeric || keep.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}
