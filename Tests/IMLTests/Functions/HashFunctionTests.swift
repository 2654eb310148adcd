import Testing

@testable import IML

@Suite("Hashing and signing")
struct HashFunctionTests {
    static let variables: Value = [
        "body": ["enc": "utf8", "keyEnc": "utf16"],
        "temp": [
            "claims": ["sub": "123", "iat": 1_700_000_000], "noIat": ["sub": "123"],
            "opts": ["header": ["kid": "abc"]], "badIat": ["iat": "1700000000"],
        ],
    ]

    @Test(arguments: [
        ("sha1(undefined)", #""da39a3ee5e6b4b0d3255bfef95601890afd80709""#),
        ("sha256('message', 'hex', '')", #""ab530a13e45914982b79f9b7e3fba994cfd1f3fb22f71cea1afbf02b460c6d1d""#),
        ("sha256('message', null, 'secret')", #""8b5f48702995c1598c573db1e21866a9b825d4a794d169d7060a03605796360b""#),
        (
            "sha256('message', undefined, 'secret', undefined)",
            #""8b5f48702995c1598c573db1e21866a9b825d4a794d169d7060a03605796360b""#
        ),
        ("length(sha256('message', 'latin1'))", "32"),
        ("sha1('message', 'hex', toBinary('secret'), 'binary')", #""0caf649feee4953d87bf903ac1176c45e028df16""#),
        ("sha1('message', 'hex', toBinary('secret'))", #""0caf649feee4953d87bf903ac1176c45e028df16""#),
        ("sha1(toBinary('message'), 'hex', 'secret', 'text')", #""0caf649feee4953d87bf903ac1176c45e028df16""#),
        ("sha1('m', 'hex', 'zz', 'hex')", "error E_KEY"), ("sha1('m', 'hex', '@@', 'base64')", "error E_KEY"),
        ("sha1('m', 'hex', 'k', 'binary')", "error E_KEY"), ("sha512('m', body.enc)", "error E_ENCODING"),
        ("sha256('m', 'hex', 'k', body.keyEnc)", "error E_ENCODING"),
        ("sha256('m', 'hex', undefined, body.keyEnc)", "error E_ENCODING"),
        ("md5(md5('u' + ':' + 'realm' + ':' + 'p') + ':' + 'nonce')", #""950c4f19ddaac27bf104325d4cb6cc97""#),
        ("sha512(12)", #""\#(sha512Of12)""#),
    ])
    func hashes(_ expression: String, _ expected: String) {
        #expect(Eval.show(expression, Self.variables) == expected)
    }

    static let sha512Of12 =
        "5aadb45520dcd8726b2822a7a78bb53d794f557199d5d4abdedd2c55a4bd6ca73607605c558de3db80c8e86c3196484566163ed1327e82e8b6757d1932113cb8"

    @Test(arguments: [
        (
            "jwt(temp.claims, 'secret')",
            #""eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMiLCJpYXQiOjE3MDAwMDAwMDB9.bY5fWpkENiXrTv6SNLjfocPxGkSD3NSSFTg2SurXt8U""#
        ),
        (
            "jwt(temp.claims, 'secret', 'HS512', temp.opts)",
            #""eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCIsImtpZCI6ImFiYyJ9.eyJzdWIiOiIxMjMiLCJpYXQiOjE3MDAwMDAwMDB9.YjCKIyoZ3Hejc_8GsfKz-zJ1aPBNFCSZwQWvGrTd_55y0IJKms3WRMtktMG2BtMpuoMNX_rlh8vBaJtHoTQLog""#
        ),
        (
            "jwt(temp.noIat, 'secret')",
            #""eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMiLCJpYXQiOjE0ODI5NDA5ODZ9.qcAiCdzQMrE8dA472KAKA812fuiaBLzqEK0gNQ-30Xk""#
        ),
        ("jwt(temp.claims, 'secret', 'none')", "error E_JWT"), ("jwt(temp.claims, '')", "error E_JWT"),
        ("jwt(temp.claims, undefined)", "error E_JWT"), ("jwt(5, 'secret')", "error E_JWT"),
        ("jwt(temp.badIat, 'secret')", "error E_JWT"), ("jwt(temp.claims, 'not a pem', 'RS256')", "error E_JWT"),
    ])
    func jsonWebTokens(_ expression: String, _ expected: String) {
        #expect(Eval.show(expression, Self.variables) == expected)
    }

    /// Decodes the payload segment of a token produced by `expression`.
    private func payload(_ expression: String, _ variables: Value) throws -> Value {
        let token = try #require(try Eval.expression(expression, variables).stringValue)
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(segments.count == 3)
        let bytes = try #require(Base64.decode(segments[1].utf8))
        return try Value(parsingJSON: bytes)
    }

    @Test func claimOptions() throws {
        let variables: Value = [
            "claims": ["sub": "1"],
            "options": [
                "expiresIn": 3600, "notBefore": 60, "audience": "aud", "issuer": "iss", "subject": "s",
                "jwtid": "j", "keyid": "k1", "unknown": true,
            ],
            "bare": ["noTimestamp": true, "expiresIn": 10],
        ]
        #expect(
            try payload("jwt(claims, 'k', 'HS384', options)", variables).compactJSON()
                == #"{"sub":"s","iat":1482940986,"nbf":1482941046,"exp":1482944586,"aud":"aud","iss":"iss","jti":"j"}"#)
        #expect(try payload("jwt(claims, 'k', '', bare)", variables).compactJSON() == #"{"sub":"1","exp":1482940996}"#)
        let token = try #require(try Eval.expression("jwt(claims, 'k', 'HS256', options)", variables).stringValue)
        let header = try Value(parsingJSON: try #require(Base64.decode(token.split(separator: ".")[0].utf8)))
        #expect(header.compactJSON() == #"{"alg":"HS256","typ":"JWT","kid":"k1"}"#)
    }

    @Test func stringPayload() throws {
        let token = try #require(try Eval.expression("jwt('hello', 'k')", .object([:])).stringValue)
        let parts = token.split(separator: ".")
        #expect(parts[0] == "eyJhbGciOiJIUzI1NiJ9")  // {"alg":"HS256"}: no typ for a string payload
        #expect(parts[1] == "aGVsbG8")
    }

    /// A throwaway 1024-bit key generated for this test; RSASSA-PKCS1-v1_5 signatures are deterministic, so the
    /// expected token was computed with the openssl command line tool.
    static let rsaKey = """
        -----BEGIN RSA PRIVATE KEY-----
        MIICXAIBAAKBgQC7zgFoDBdkYvELl204G/fVDBh++BBuVtxPyLsSIWmuvOdAXQzW
        sRkgdfudaYCFNocoVRlEaD4AruWwsW1QTajhaQY17NrKuuuJm8fsEcUBHY6/zBvM
        r+fyjhsI7Y/xrPE2dd6dG8PRwBjYIHmgV3+yPTzGLJ9+X2pJ7eLwj1h16QIDAQAB
        AoGAQvyn48TsUxI3iDrq6iiPrZ4y3pb8xV6WFp8ymrTwTTN0CLEn8ywYGkv7A5qu
        DNX2P5ya9pt4AiZgJzYiF5Kbua5RgR4SCJpCKN/v2qO0H7BLovwee8/W6cvu7AvW
        5pFNeArQcqA3qwf/we2XA4VXnPXeMM9jcHX2gfnFr4otqAECQQDpf8kUv4l7hMpS
        bTVBsX0QD2FevpSEwm0f35paeNrQm+C0LvVmEzC99f4QQdpZDU1PPopS9RlPfC9L
        k+bslXB5AkEAzeb6mpGh1fmMn9GTB0jr6UcWJo7lToL8BmetAtmPUuor9oKmpq7t
        wmmIcFErIx8jbI6LQKZdxm+BqWixgBk08QJAD09CluqsD/436cmhSUpi4c+wWa7z
        O/UnhIR7sVzlM/JUfFvr2SJ++qWLX/OBZn9Zx01ZcnEBlNWWoET1SiPOOQJAC6zB
        IOqJBpzzwEwdzhfwaHXDZ8RKdD0xFRvjz3mOiuEERSH7WRAqIw/g0J2JmKA3Xfxn
        IO9N+eZwr65kAiNrwQJBAKEJt04Wo2/CLpVgo/IelQoyjlPNmLHMrSaLOTe+I6SA
        mkTNMScv2gYa/PMfFFTrOwADoXcoFU5cpuylBMb6Xvk=
        -----END RSA PRIVATE KEY-----
        """

    static let rsaKeyPKCS8 = """
        -----BEGIN PRIVATE KEY-----
        MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBALvOAWgMF2Ri8QuX
        bTgb99UMGH74EG5W3E/IuxIhaa6850BdDNaxGSB1+51pgIU2hyhVGURoPgCu5bCx
        bVBNqOFpBjXs2sq664mbx+wRxQEdjr/MG8yv5/KOGwjtj/Gs8TZ13p0bw9HAGNgg
        eaBXf7I9PMYsn35faknt4vCPWHXpAgMBAAECgYBC/KfjxOxTEjeIOurqKI+tnjLe
        lvzFXpYWnzKatPBNM3QIsSfzLBgaS/sDmq4M1fY/nJr2m3gCJmAnNiIXkpu5rlGB
        HhIImkIo3+/ao7QfsEui/B57z9bpy+7sC9bmkU14CtByoDerB//B7ZcDhVec9d4w
        z2NwdfaB+cWvii2oAQJBAOl/yRS/iXuEylJtNUGxfRAPYV6+lITCbR/fmlp42tCb
        4LQu9WYTML31/hBB2lkNTU8+ilL1GU98L0uT5uyVcHkCQQDN5vqakaHV+Yyf0ZMH
        SOvpRxYmjuVOgvwGZ60C2Y9S6iv2gqamru3CaYhwUSsjHyNsjotApl3Gb4GpaLGA
        GTTxAkAPT0KW6qwP/jfpyaFJSmLhz7BZrvM79SeEhHuxXOUz8lR8W+vZIn76pYtf
        84Fmf1nHTVlycQGU1ZagRPVKI845AkALrMEg6okGnPPATB3OF/BodcNnxEp0PTEV
        G+PPeY6K4QRFIftZECojD+DQnYmYoDdd/Gcg70355nCvrmQCI2vBAkEAoQm3Thaj
        b8IulWCj8h6VCjKOU82YscytJos5N74jpICaRM0xJy/aBhr88x8UVOs7AAOhdygV
        Tlym7KUExvpe+Q==
        -----END PRIVATE KEY-----
        """

    static let rsaToken =
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMiLCJpYXQiOjE3MDAwMDAwMDB9.WKQ0U4hG5Wd2tx5trJbnkraMTbrm9UsLTF2l3UJMxEI2DtwD75jjXXnmSmUPWXUrv1WJdv-Eo61_SRXHzPc72i3IE_c0w35t5NprvFLYBaTGTEA8lvPvKeE09q4Gy8ibGMVjZEjJxLygjKQEcbhdczREBSaNm6ar3VD3NeACFlc"

    @Test(arguments: [rsaKey, rsaKeyPKCS8])
    func rs256(_ key: String) throws {
        let variables: Value = ["claims": ["sub": "123", "iat": 1_700_000_000], "key": .string(key)]
        #expect(try Eval.expression("jwt(claims, key, 'RS256')", variables) == .string(Self.rsaToken))
    }

    @Test func rs256RejectsAnEncryptedOrTruncatedKey() {
        let truncated = String(Self.rsaKey.prefix(200))
        let variables: Value = ["claims": ["sub": "1"], "key": .string(truncated)]
        #expect(Eval.show("jwt(claims, key, 'RS256')", variables) == "error E_JWT")
    }
}
