import Foundation
import IML
import TestSupport
import Testing

@testable import ConnectionVault

/// Against httpbin (PyPI), a server nobody here wrote: Basic, Digest MD5 and SHA-256 with qop auth, bearer,
/// gzip, redirects.
@Suite(
    "HTTP interop: httpbin", .serialized,
    .enabled(if: ExternalHTTPServer.httpbinAvailable, "needs httpbin for python3 (pip install httpbin)"))
final class HTTPInteropHttpbinTests {
    let directory = TemporaryDirectory("connvault-httpbin")
    let server: ExternalHTTPServer
    let client = CurlHTTPClient()

    init() throws {
        server = try ExternalHTTPServer.httpbin(in: directory)
    }

    deinit { server.stop() }

    func json(_ response: HTTPResponse) throws -> Value {
        try Value(parsingJSON: response.body)
    }

    @Test func basicAuthentication() async throws {
        let ok = try await client.send(
            HTTPRequest(
                url: server.url("/basic-auth/user/passwd"), authentication: .basic(username: "user", password: "passwd")
            ))
        #expect(ok.status == 200)
        #expect(try json(ok)["authenticated"] == .bool(true))
        let wrong = try await client.send(
            HTTPRequest(
                url: server.url("/basic-auth/user/passwd"), authentication: .basic(username: "user", password: "nope")))
        #expect(wrong.status == 401)
    }

    @Test(arguments: ["MD5", "SHA-256"])
    func digestAuthentication(algorithm: String) async throws {
        let url = server.url("/digest-auth/auth/user/passwd/\(algorithm)")
        let ok = try await client.send(
            HTTPRequest(url: url, authentication: .digest(username: "user", password: "passwd")))
        #expect(ok.status == 200)
        #expect(try json(ok)["authenticated"] == .bool(true))
        let wrong = try await client.send(
            HTTPRequest(url: url, authentication: .digest(username: "user", password: "bad")))
        #expect(wrong.status == 401)
    }

    @Test func bearerToken() async throws {
        let ok = try await client.send(
            HTTPRequest(url: server.url("/bearer"), headers: [HTTPHeader("Authorization", "Bearer abc123")]))
        #expect(ok.status == 200)
        #expect(try json(ok)["token"] == .string("abc123"))
        let missing = try await client.send(HTTPRequest(url: server.url("/bearer")))
        #expect(missing.status == 401)
    }

    @Test func gzipAndRedirects() async throws {
        let gzip = try await client.send(HTTPRequest(url: server.url("/gzip"), gzip: true))
        #expect(try json(gzip)["gzipped"] == .bool(true))
        let redirected = try await client.send(HTTPRequest(url: server.url("/redirect/3")))
        #expect(redirected.status == 200 && redirected.redirectCount == 3)
        await #expect(throws: HTTPError.tooManyRedirects(limit: 10)) {
            try await self.client.send(HTTPRequest(url: self.server.url("/redirect/11")))
        }
        do {
            _ = try await client.send(HTTPRequest(url: server.url("/redirect-to?url=file%3A%2F%2F%2Fetc%2Fpasswd")))
            Issue.record("a redirect to file: was followed")
        } catch {
            #expect(error.isPolicyRefusal)
        }
    }
}

/// Against Apache httpd (Debian) with mod_auth_basic and mod_auth_digest (MD5).
@Suite(
    "HTTP interop: Apache httpd", .serialized,
    .enabled(if: ExternalHTTPServer.apacheAvailable, "needs Apache httpd (Debian: apache2)"),
    .enabled(if: TestCertificateAuthority.isAvailable, "needs the openssl command-line tool (Debian: openssl)"))
final class HTTPInteropApacheTests {
    let directory = TemporaryDirectory("connvault-apache")
    let server: ExternalHTTPServer
    let client = CurlHTTPClient()

    init() throws {
        server = try ExternalHTTPServer.apache(
            in: directory, user: "Mufasa", password: "Circle of Life", realm: "vault test")
    }

    deinit { server.stop() }

    @Test func digestMD5() async throws {
        let url = server.url("/digest/index.txt?x=1")
        let ok = try await client.send(
            HTTPRequest(url: url, authentication: .digest(username: "Mufasa", password: "Circle of Life")))
        #expect(ok.status == 200)
        #expect(String(decoding: ok.body, as: UTF8.self) == "hello from apache\n")
        let wrong = try await client.send(
            HTTPRequest(url: url, authentication: .digest(username: "Mufasa", password: "wrong")))
        #expect(wrong.status == 401)
        let none = try await client.send(HTTPRequest(url: url))
        #expect(none.status == 401)
    }

    @Test func basic() async throws {
        let ok = try await client.send(
            HTTPRequest(
                url: server.url("/basic/index.txt"),
                authentication: .basic(username: "Mufasa", password: "Circle of Life")))
        #expect(ok.status == 200)
        let wrong = try await client.send(
            HTTPRequest(url: server.url("/basic/index.txt"), authentication: .basic(username: "Mufasa", password: "x")))
        #expect(wrong.status == 401)
    }

    @Test func directoryRedirectKeepsDigestOnTheSameOrigin() async throws {
        // Apache answers `/digest` with a 301 to `/digest/`; the digest state follows on the same origin.
        let ok = try await client.send(
            HTTPRequest(
                url: server.url("/digest"), authentication: .digest(username: "Mufasa", password: "Circle of Life")))
        #expect(ok.redirectCount == 1)
        #expect(ok.status == 200)
        #expect(ok.url.hasSuffix("/digest/"))
    }
}
