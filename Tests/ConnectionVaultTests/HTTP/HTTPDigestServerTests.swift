import Foundation
import Synchronization
import TestSupport
import Testing

@testable import ConnectionVault

/// A server-side Digest check written independently of `DigestSession`: it parses the `Authorization`
/// value itself and recomputes the response from RFC 7616's formulas (only the hash primitive is shared).
struct DigestVerifier: Sendable {
    var username = "Mufasa"
    var password = "Circle of Life"
    var realm = "testrealm@host.com"

    /// `Authorization: Digest …` parameters, parsed naively (quoted values may contain commas).
    static func parameters(_ header: String) -> [String: String] {
        guard header.hasPrefix("Digest ") else { return [:] }
        var result: [String: String] = [:]
        var rest = Substring(header.dropFirst(7))
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = String(rest[..<equals])
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\", let escaped = rest.first {
                        value.append(escaped)
                        rest = rest.dropFirst()
                    } else {
                        value.append(character)
                    }
                }
                rest = rest.dropFirst()
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = String(rest[..<end])
                rest = rest[end...]
            }
            result[key] = value
        }
        return result
    }

    /// Whether `request` carries a correct answer to a challenge with `nonce` and `algorithm`.
    func accepts(_ request: RecordedRequest, nonce: String, algorithm: String, qop: String = "auth") -> Bool {
        let p = Self.parameters(request.header("Authorization") ?? "")
        let session = algorithm.hasSuffix("-sess")
        let hash: DigestHashFunction =
            algorithm.hasPrefix("SHA-512-256") ? .sha512t256 : algorithm.hasPrefix("SHA-256") ? .sha256 : .md5
        let expectedUser = p["userhash"] == "true" ? hash.hex("\(username):\(realm)") : username
        guard p["username"] == expectedUser, p["realm"] == realm, p["nonce"] == nonce, p["uri"] == request.target,
            p["qop"] == qop, let nc = p["nc"], let cnonce = p["cnonce"], let response = p["response"]
        else { return false }
        var ha1 = hash.hex("\(username):\(realm):\(password)")
        if session { ha1 = hash.hex("\(ha1):\(nonce):\(cnonce)") }
        let a2 =
            qop == "auth-int"
            ? "\(request.method):\(request.target):\(hash.hex(request.body))" : "\(request.method):\(request.target)"
        return response == hash.hex("\(ha1):\(nonce):\(nc):\(cnonce):\(qop):\(hash.hex(a2))")
    }

    func challenge(nonce: String, algorithm: String, qop: String = "auth", extra: String = "") -> String {
        #"Digest realm="\#(realm)", qop="\#(qop)", algorithm=\#(algorithm), nonce="\#(nonce)", opaque="5ccc069c403ebaf9f0171e9517f40e41""#
            + extra
    }
}

@Suite("HTTP Digest against the scripted server")
struct HTTPDigestServerTests {
    let client = CurlHTTPClient()
    let verifier = DigestVerifier()
    let credentials = HTTPAuthentication.digest(username: "Mufasa", password: "Circle of Life")

    func unauthorized(_ challenges: [String]) -> ScriptedResponse {
        ScriptedResponse(status: 401, headers: challenges.map { ("WWW-Authenticate", $0) })
    }

    @Test(arguments: ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256", "SHA-512-256-sess"])
    func answersTheChallenge(algorithm: String) async throws {
        let verifier = verifier
        let server = try ScriptedHTTPServer { [self] request in
            verifier.accepts(request, nonce: "n1", algorithm: algorithm)
                ? .text("welcome") : unauthorized([verifier.challenge(nonce: "n1", algorithm: algorithm)])
        }
        defer { server.stop() }
        let response = try await client.send(
            HTTPRequest(url: server.url("/dir/index.html?x=1"), authentication: credentials))
        #expect(response.status == 200)
        #expect(server.requests.count == 2)
        let answer = DigestVerifier.parameters(try #require(server.requests.last?.header("Authorization")))
        #expect(answer["nc"] == "00000001")
        #expect(answer["opaque"] == "5ccc069c403ebaf9f0171e9517f40e41")
        #expect(answer["algorithm"] == algorithm)
        #expect(answer["cnonce"]?.count == 32)
    }

    /// The Digest answer carries the user name: one with a line break is refused before the answer is sent (the
    /// engine does not check headers again), and the message names the header, not its value.
    @Test func aUserNameWithALineBreakIsRefusedBeforeTheAnswer() async throws {
        let verifier = verifier
        let server = try ScriptedHTTPServer { [self] _ in unauthorized([verifier.challenge(nonce: "n", algorithm: "MD5")]) }
        defer { server.stop() }
        let injected = HTTPAuthentication.digest(username: "Mufasa\r\nX-Evil: 1", password: "Circle of Life")
        await #expect(throws: HTTPError.invalidRequest("the value of header Authorization contains a line break or NUL")) {
            try await client.send(HTTPRequest(url: server.url("/"), authentication: injected))
        }
        #expect(server.requests.count == 1, "only the challenged request went out")
    }

    /// The server's challenge fields go into the answer too: a nonce with a bare carriage return (header lines are
    /// split at line feeds only) is refused before the answer is sent.
    @Test func aChallengeWithACarriageReturnIsNotAnswered() async throws {
        let server = try ScriptedHTTPServer { [self] _ in
            unauthorized([#"Digest realm="r", qop="auth", algorithm=MD5, nonce="a\#rb""#])
        }
        defer { server.stop() }
        await #expect(throws: HTTPError.invalidRequest("the value of header Authorization contains a line break or NUL")) {
            try await client.send(HTTPRequest(url: server.url("/"), authentication: credentials))
        }
        #expect(server.requests.count == 1)
    }

    @Test func strongestOfSeveralChallengesAndHeadersWins() async throws {
        let verifier = verifier
        let server = try ScriptedHTTPServer { [self] request in
            if verifier.accepts(request, nonce: "strong", algorithm: "SHA-256") { return .text("ok") }
            return unauthorized([
                #"Basic realm="x", "# + verifier.challenge(nonce: "weak", algorithm: "MD5"),
                verifier.challenge(nonce: "strong", algorithm: "SHA-256", qop: "auth-int,auth"),
                #"Digest realm="x", nonce="unsupported", algorithm=SHA-1, qop="auth""#,
            ])
        }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(url: server.url("/"), authentication: credentials))
        #expect(response.status == 200)
    }

    @Test func authIntCoversTheBody() async throws {
        let verifier = verifier
        let server = try ScriptedHTTPServer { [self] request in
            verifier.accepts(request, nonce: "n", algorithm: "SHA-256", qop: "auth-int")
                ? .text("ok") : unauthorized([verifier.challenge(nonce: "n", algorithm: "SHA-256", qop: "auth-int")])
        }
        defer { server.stop() }
        let response = try await client.send(
            HTTPRequest(
                method: "POST", url: server.url("/submit"), body: Array("a=1&b=2".utf8), authentication: credentials))
        #expect(response.status == 200)
        #expect(server.requests.last?.bodyText == "a=1&b=2")
    }

    @Test func staleNonceIsRetriedOnce() async throws {
        let verifier = verifier
        let rounds = Atomic<Int>(0)
        let server = try ScriptedHTTPServer { [self] request in
            let round = rounds.add(1, ordering: .relaxed).newValue
            switch round {
            case 1: return unauthorized([verifier.challenge(nonce: "old", algorithm: "MD5")])
            case 2:
                #expect(verifier.accepts(request, nonce: "old", algorithm: "MD5"))
                return unauthorized([verifier.challenge(nonce: "fresh", algorithm: "MD5", extra: ", stale=true")])
            default:
                return verifier.accepts(request, nonce: "fresh", algorithm: "MD5")
                    ? .text("ok") : .text("no", status: 400)
            }
        }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(url: server.url("/"), authentication: credentials))
        #expect(response.status == 200)
        #expect(server.requests.count == 3)
        #expect(DigestVerifier.parameters(server.requests[2].header("Authorization")!)["nc"] == "00000001")
    }

    @Test func staleTwiceAndWrongPasswordsEndWithThe401() async throws {
        let verifier = verifier
        let rounds = Atomic<Int>(0)
        let server = try ScriptedHTTPServer { [self] request in
            let round = rounds.add(1, ordering: .relaxed).newValue
            return unauthorized([
                verifier.challenge(nonce: "n\(round)", algorithm: "MD5", extra: round > 1 ? ", stale=true" : "")
            ])
        }
        defer { server.stop() }
        let stale = try await client.send(HTTPRequest(url: server.url("/"), authentication: credentials))
        #expect(stale.status == 401)
        #expect(server.requests.count == 3)  // challenge, answer, one stale retry

        let strict = try ScriptedHTTPServer { [self] request in
            verifier.accepts(request, nonce: "n", algorithm: "MD5")
                ? .text("ok") : unauthorized([verifier.challenge(nonce: "n", algorithm: "MD5")])
        }
        defer { strict.stop() }
        let wrong = try await client.send(
            HTTPRequest(url: strict.url("/"), authentication: .digest(username: "Mufasa", password: "wrong")))
        #expect(wrong.status == 401)
        #expect(strict.requests.count == 2)
    }

    @Test func nonceCountGrowsAcrossASameOriginRedirect() async throws {
        let verifier = verifier
        let server = try ScriptedHTTPServer { [self] request in
            guard verifier.accepts(request, nonce: "n", algorithm: "SHA-256") else {
                return unauthorized([verifier.challenge(nonce: "n", algorithm: "SHA-256")])
            }
            return request.path == "/a" ? .redirect(to: "/b?page=2") : .text("b")
        }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(url: server.url("/a"), authentication: credentials))
        #expect(response.status == 200)
        #expect(server.requests.map(\.target) == ["/a", "/a", "/b?page=2"])
        let last = DigestVerifier.parameters(server.requests[2].header("Authorization")!)
        #expect(last["nc"] == "00000002")
        #expect(last["uri"] == "/b?page=2")
    }

    @Test func digestStateIsNotSentToAnotherOrigin() async throws {
        let verifier = verifier
        let other = try ScriptedHTTPServer { [self] _ in
            unauthorized([verifier.challenge(nonce: "x", algorithm: "MD5")])
        }
        defer { other.stop() }
        let server = try ScriptedHTTPServer { [self] request in
            verifier.accepts(request, nonce: "n", algorithm: "MD5")
                ? .redirect(to: other.url("/elsewhere"))
                : unauthorized([verifier.challenge(nonce: "n", algorithm: "MD5")])
        }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(url: server.url("/"), authentication: credentials))
        #expect(response.status == 401)
        #expect(other.requests.count == 1)
        #expect(other.requests[0].header("Authorization") == nil)
    }

    @Test func userhashIsUsedWhenOffered() async throws {
        let verifier = verifier
        let server = try ScriptedHTTPServer { [self] request in
            verifier.accepts(request, nonce: "n", algorithm: "SHA-256")
                ? .text("ok")
                : unauthorized([
                    verifier.challenge(nonce: "n", algorithm: "SHA-256", extra: ", userhash=true, charset=UTF-8")
                ])
        }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(url: server.url("/"), authentication: credentials))
        #expect(response.status == 200)
        #expect(server.requests[1].header("Authorization")?.contains("Mufasa") == false)
    }

    @Test func basicIsSentUpFront() async throws {
        let server = try ScriptedHTTPServer { _ in .text("ok") }
        defer { server.stop() }
        _ = try await client.send(
            HTTPRequest(
                url: server.url("/"), headers: [HTTPHeader("authorization", "Bearer replaced")],
                authentication: .basic(username: "Aladdin", password: "open sesame")))
        #expect(server.requests.count == 1)
        #expect(server.requests[0].headers(named: "Authorization") == ["Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="])
    }
}
