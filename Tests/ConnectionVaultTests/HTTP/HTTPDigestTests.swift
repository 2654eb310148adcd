import Testing

@testable import ConnectionVault

@Suite("HTTP Digest computation and challenges")
struct HTTPDigestTests {
    // RFC 7616 §3.9.1.
    static let rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
    static let rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
    static let rfc7616Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"

    @Test(arguments: [
        (DigestHashFunction.md5, "8ca523f5e9506fed4657c9700eebdbec"),
        (DigestHashFunction.sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ])
    func rfc7616Example(hash: DigestHashFunction, expected: String) {
        let response = DigestSession.response(
            hash: hash, session: false, username: "Mufasa", realm: "http-auth@example.org",
            password: "Circle of Life", nonce: Self.rfc7616Nonce, nc: "00000001", cnonce: Self.rfc7616Cnonce,
            protection: .auth, method: "GET", uri: "/dir/index.html", body: [])
        #expect(response == expected)
    }

    @Test func rfc2617Example() {
        let response = DigestSession.response(
            hash: .md5, session: false, username: "Mufasa", realm: "testrealm@host.com", password: "Circle Of Life",
            nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", nc: "00000001", cnonce: "0a4f113b", protection: .auth,
            method: "GET", uri: "/dir/index.html", body: [])
        #expect(response == "6629fae49393a05397450978507c4ef1")
    }

    @Test func rfc7616ExampleThroughTheChallengeAndSession() throws {
        let header = """
            Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, \
            nonce="\(Self.rfc7616Nonce)", opaque="\(Self.rfc7616Opaque)"
            """
        let challenge = try #require(DigestChallenge.strongest(in: [header]))
        #expect(challenge.protection == .auth)
        var session = DigestSession(
            challenge: challenge, username: "Mufasa", password: "Circle of Life", cnonce: Self.rfc7616Cnonce)
        let authorization = session.authorization(method: "GET", uri: "/dir/index.html", body: [])
        #expect(
            authorization == """
                Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, \
                nonce="\(Self.rfc7616Nonce)", nc=00000001, cnonce="\(Self.rfc7616Cnonce)", qop=auth, \
                response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", \
                opaque="\(Self.rfc7616Opaque)"
                """)
        let second = session.authorization(method: "GET", uri: "/dir/index.html", body: [])
        #expect(second.contains("nc=00000002"))
        #expect(session.nonceCount == 2)
    }

    @Test func hashFunctionsMatchKnownDigests() {
        // Values from Python's hashlib.
        #expect(DigestHashFunction.md5.hex("") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(
            DigestHashFunction.sha256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            DigestHashFunction.sha512t256.hex("abc")
                == "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23")
    }

    @Test func userhashAndSHA512t256() throws {
        // RFC 7616 §3.9.2's user; the hash is H("Jäsøn Doe:api@example.org") computed independently with Python
        // (the RFC's printed value is known to be wrong, erratum 4897).
        let header = """
            Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", \
            opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true
            """
        let challenge = try #require(DigestChallenge.strongest(in: [header]))
        #expect(challenge.hash == .sha512t256 && challenge.userhash && challenge.charsetUTF8)
        var session = DigestSession(challenge: challenge, username: "J\u{E4}s\u{F8}n Doe", password: "Secret, or not?")
        let authorization = session.authorization(method: "GET", uri: "/doe.json", body: [])
        #expect(authorization.contains(#"username="793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b""#))
        #expect(authorization.contains("userhash=true"))
        #expect(!authorization.contains("J\u{E4}s\u{F8}n"))
    }

    @Test func nonASCIIUsernameWithoutUserhashUsesTheExtendedParameter() throws {
        let challenge = try #require(
            DigestChallenge.strongest(in: [#"Digest realm="r", nonce="n", qop="auth", charset=UTF-8"#]))
        var session = DigestSession(challenge: challenge, username: "J\u{E4}s\u{F8}n Doe", password: "p")
        let authorization = session.authorization(method: "GET", uri: "/", body: [])
        #expect(authorization.hasPrefix("Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=\"r\""))
    }

    @Test func sessionVariantsAndAuthInt() {
        // Independent of the code under test: A1 = H(H(user:realm:pass):nonce:cnonce), A2 with H(body).
        let h = DigestHashFunction.md5
        let ha1 = h.hex(h.hex("u:r:p") + ":n:c")
        let ha2 = h.hex("POST:/x:" + h.hex("body"))
        let expected = h.hex("\(ha1):n:00000001:c:auth-int:\(ha2)")
        let response = DigestSession.response(
            hash: .md5, session: true, username: "u", realm: "r", password: "p", nonce: "n", nc: "00000001",
            cnonce: "c", protection: .authInt, method: "POST", uri: "/x", body: Array("body".utf8))
        #expect(response == expected)
        // RFC 2069 (no qop): H(HA1:nonce:HA2).
        let legacy = DigestSession.response(
            hash: .md5, session: false, username: "u", realm: "r", password: "p", nonce: "n", nc: "", cnonce: "",
            protection: nil, method: "GET", uri: "/", body: [])
        #expect(legacy == h.hex(h.hex("u:r:p") + ":n:" + h.hex("GET:/")))
    }

    @Test func strongestChallengeWins() throws {
        let fields = [
            #"Basic realm="x", Digest realm="r", nonce="md5", qop="auth", algorithm=MD5"#,
            #"Digest realm="r", nonce="sha256", qop="auth", algorithm=SHA-256-sess, Digest realm="r", nonce="unknown", algorithm=SHA-1"#,
            #"Digest realm="r", nonce="sha512", qop="auth-int", algorithm="SHA-512-256", Bearer realm="api""#,
        ]
        let best = try #require(DigestChallenge.strongest(in: fields))
        #expect(best.nonce == "sha512")
        #expect(best.hash == .sha512t256 && !best.session && best.protection == .authInt)
        let withoutStrongest = try #require(DigestChallenge.strongest(in: Array(fields.prefix(2))))
        #expect(withoutStrongest.nonce == "sha256" && withoutStrongest.session)
        #expect(withoutStrongest.algorithmName == "SHA-256-sess")
    }

    @Test func unsupportedChallengesAreSkipped() {
        #expect(DigestChallenge.strongest(in: [#"Digest realm="r", nonce="n", algorithm=SHA-1"#]) == nil)
        #expect(DigestChallenge.strongest(in: [#"Digest realm="r", nonce="n", qop="auth-conf""#]) == nil)
        #expect(DigestChallenge.strongest(in: [#"Digest realm="r", qop="auth""#]) == nil)  // no nonce
        #expect(DigestChallenge.strongest(in: [#"Basic realm="r""#, "Negotiate"]) == nil)
    }

    @Test func challengeParsing() {
        let challenges = AuthChallenge.parse(
            field: #"Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple""#)
        #expect(challenges.count == 2)
        #expect(challenges[0].scheme == "Newauth")
        #expect(challenges[0].parameters == ["realm": "apps", "type": "1", "title": #"Login to "apps""#])
        #expect(challenges[1] == AuthChallenge(scheme: "Basic", parameters: ["realm": "simple"]))
        let spaced = AuthChallenge.parse(
            field: #"  Digest   REALM = "a, b" ,NONCE=xyz,,  stale=TRUE , Negotiate, Bearer"#)
        #expect(spaced.map(\.scheme) == ["Digest", "Negotiate", "Bearer"])
        #expect(spaced[0].parameters == ["realm": "a, b", "nonce": "xyz", "stale": "TRUE"])
        #expect(AuthChallenge.parse(field: "Negotiate abc/def==, Basic realm=\"x\"").last?.scheme == "Basic")
        #expect(AuthChallenge.parse(field: "").isEmpty)
        #expect(AuthChallenge.parse(field: #"Digest realm="unterminated"#).first?.parameters["realm"] == "unterminated")
    }

    @Test func staleAndOpaqueAndQuotingInTheAuthorization() throws {
        let challenge = try #require(
            DigestChallenge.strongest(in: [#"Digest realm="r\"q", nonce="n", stale=true, opaque="o""#]))
        #expect(challenge.stale && challenge.protection == nil && !challenge.algorithmGiven)
        var session = DigestSession(challenge: challenge, username: #"a"b\c"#, password: "p")
        let authorization = session.authorization(method: "GET", uri: "/p?q=1", body: [])
        #expect(
            authorization.hasPrefix(#"Digest username="a\"b\\c", realm="r\"q", uri="/p?q=1", nonce="n", response=""#))
        #expect(authorization.hasSuffix(#", opaque="o""#))
        #expect(!authorization.contains("nc=") && !authorization.contains("algorithm="))
        #expect(!session.description.contains("p\""))
    }

    @Test func nonceCountText() {
        #expect(DigestSession.nonceCountText(1) == "00000001")
        #expect(DigestSession.nonceCountText(0xabc) == "00000abc")
        #expect(DigestSession.nonceCountText(.max) == "ffffffff")
    }

    @Test func credentialsNeverPrinted() {
        let request = HTTPRequest(
            url: "https://u:pw@example.com/x?token=t", headers: [HTTPHeader("Authorization", "Bearer sekrit")],
            authentication: .digest(username: "mufasa", password: "lion"))
        let text = "\(request) \(request.authentication!) \(request.headers)"
        for secret in ["pw", "token=t", "sekrit", "mufasa", "lion"] { #expect(!text.contains(secret)) }
    }
}
