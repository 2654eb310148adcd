/// A `Digest` challenge the client can answer: algorithm, quality of protection and the server's values.
struct DigestChallenge: Sendable, Hashable {
    /// Quality of protection (RFC 7616 §3.3).
    enum Protection: String, Sendable, Hashable {
        /// Authentication only.
        case auth
        /// Authentication with integrity protection of the request body.
        case authInt = "auth-int"
    }

    var realm: String
    var nonce: String
    var opaque: String?
    var hash: DigestHashFunction
    /// An `-sess` algorithm: A1 includes the nonce and cnonce.
    var session: Bool
    /// `nil` for an RFC 2069 challenge without `qop` (no nonce count, no cnonce).
    var protection: Protection?
    /// The server says the previous nonce expired, not that the credentials are wrong.
    var stale: Bool
    /// The server supports a hashed username.
    var userhash: Bool
    /// The server declared `charset=UTF-8`.
    var charsetUTF8: Bool
    /// Whether the challenge named its algorithm (echoed back only then).
    var algorithmGiven: Bool

    /// The algorithm token as sent back, e.g. `SHA-256-sess`.
    var algorithmName: String { hash.name + (session ? "-sess" : "") }

    /// A Digest challenge from a parsed one; `nil` for another scheme or an algorithm or qop not supported.
    ///
    /// When the server offers both `auth` and `auth-int`, `auth` is chosen (RFC 7616 leaves the choice to the
    /// client; `auth` is what browsers and curl pick, and it does not depend on the body).
    init?(_ challenge: AuthChallenge) {
        guard challenge.scheme.lowercased() == "digest", let nonce = challenge.parameters["nonce"] else { return nil }
        let algorithm = (challenge.parameters["algorithm"] ?? "MD5").uppercased()
        session = algorithm.hasSuffix("-SESS")
        let base = session ? String(algorithm.dropLast(5)) : algorithm
        guard let hash = DigestHashFunction.allCases.first(where: { $0.name == base }) else { return nil }
        self.hash = hash
        if let qop = challenge.parameters["qop"] {
            let offered = qop.split(separator: ",").map { String($0).trimmed.lowercased() }
            if offered.contains("auth") {
                protection = .auth
            } else if offered.contains("auth-int") {
                protection = .authInt
            } else {
                return nil
            }
        } else {
            protection = nil
        }
        self.nonce = nonce
        realm = challenge.parameters["realm"] ?? ""
        opaque = challenge.parameters["opaque"]
        stale = challenge.parameters["stale"]?.lowercased() == "true"
        userhash = challenge.parameters["userhash"]?.lowercased() == "true"
        charsetUTF8 = challenge.parameters["charset"]?.lowercased() == "utf-8"
        algorithmGiven = challenge.parameters["algorithm"] != nil
    }

    /// The strongest supported Digest challenge in the given `WWW-Authenticate` values
    /// (SHA-512-256 over SHA-256 over MD5; the first listed wins a tie).
    static func strongest(in fields: [String]) -> DigestChallenge? {
        var best: DigestChallenge?
        for challenge in AuthChallenge.parse(fields).compactMap(DigestChallenge.init) {
            if best == nil || challenge.hash > best!.hash { best = challenge }
        }
        return best
    }
}
