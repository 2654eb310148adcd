import Foundation
import TestSupport
import Testing

@testable import ConnectionVault

/// The engine reuses libcurl easy handles per origin; nothing of one request may reach the next, and every limit
/// and restriction must hold on a reused handle as on a fresh one.
@Suite("HTTP easy handle reuse")
struct HTTPHandleReuseTests {
    /// Asserts that `request` carries nothing a previous request set.
    private func expectPlain(
        _ request: RecordedRequest?, _ context: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let request else {
            Issue.record("no request recorded after \(context)", sourceLocation: sourceLocation)
            return
        }
        #expect(request.method == "GET", "method after \(context)", sourceLocation: sourceLocation)
        #expect(
            request.header("Authorization") == nil, "Authorization after \(context)", sourceLocation: sourceLocation)
        #expect(request.header("Cookie") == nil, "Cookie after \(context)", sourceLocation: sourceLocation)
        #expect(request.header("X-Api-Key") == nil, "custom header after \(context)", sourceLocation: sourceLocation)
        #expect(request.header("Content-Type") == nil, "Content-Type after \(context)", sourceLocation: sourceLocation)
        #expect(
            request.header("Content-Length") == nil, "Content-Length after \(context)", sourceLocation: sourceLocation)
        #expect(request.header("Transfer-Encoding") == nil, "chunking after \(context)", sourceLocation: sourceLocation)
        #expect(
            request.header("Accept-Encoding") == nil, "Accept-Encoding after \(context)", sourceLocation: sourceLocation
        )
        #expect(request.body.isEmpty, "body after \(context)", sourceLocation: sourceLocation)
        #expect(
            request.header("User-Agent") == "connvault", "User-Agent after \(context)", sourceLocation: sourceLocation)
    }

    @Test func nothingOfOneRequestReachesTheNextOnAReusedHandle() async throws {
        let server = try ScriptedHTTPServer { request in
            switch request.path {
            case "/login":
                return .text("in", headers: [("Set-Cookie", "session=s3cr3t; Path=/"), ("Set-Cookie", "b=2")])
            case "/digest":
                guard request.header("Authorization")?.hasPrefix("Digest ") == true else {
                    return .text(
                        "who?", status: 401,
                        headers: [("WWW-Authenticate", #"Digest realm="r", nonce="n0", qop="auth", algorithm=MD5"#)])
                }
                return .text("ok")
            default:
                return .text("ok")
            }
        }
        defer { server.stop() }
        let client = CurlHTTPClient()
        let plain = HTTPRequest(url: server.url("/plain"))
        let previous: [(String, HTTPRequest)] = [
            (
                "Basic credentials",
                HTTPRequest(url: server.url("/basic"), authentication: .basic(username: "u", password: "p"))
            ),
            (
                "a custom secret header",
                HTTPRequest(
                    url: server.url("/key"), headers: [HTTPHeader("X-Api-Key", "k3y")], secretHeaderNames: ["x-api-key"]
                )
            ),
            ("a Cookie header", HTTPRequest(url: server.url("/cookie"), headers: [HTTPHeader("Cookie", "c=1")])),
            ("a cookie set by the server", HTTPRequest(url: server.url("/login"))),
            (
                "a POST body",
                HTTPRequest(
                    method: "POST", url: server.url("/post"), headers: [HTTPHeader("Content-Type", "application/json")],
                    body: Array(#"{"password":"p"}"#.utf8))
            ),
            ("an empty PUT", HTTPRequest(method: "PUT", url: server.url("/put"))),
            ("a custom method", HTTPRequest(method: "PROPFIND", url: server.url("/dav"))),
            ("a HEAD", HTTPRequest(method: "HEAD", url: server.url("/head"))),
            ("a gzip request", HTTPRequest(url: server.url("/gzip"), gzip: true)),
            (
                "a request's own User-Agent",
                HTTPRequest(url: server.url("/ua"), headers: [HTTPHeader("User-Agent", "mine")])
            ),
            (
                "Digest credentials",
                HTTPRequest(url: server.url("/digest"), authentication: .digest(username: "u", password: "p"))
            ),
            (
                "credentials in the URL",
                HTTPRequest(url: server.baseURL.replacingOccurrences(of: "://", with: "://u:p@") + "/userinfo")
            ),
        ]
        _ = try await client.send(plain)
        for (context, request) in previous {
            _ = try await client.send(request)
            let response = try await client.send(plain)
            #expect(
                response.status == 200 && String(decoding: response.body, as: UTF8.self) == "ok", "after \(context)")
            #expect(response.headers.first(named: "Content-Encoding") == nil)
            expectPlain(server.requests.last, context)
        }
        let head = try await client.send(HTTPRequest(method: "HEAD", url: server.url("/head")))
        #expect(head.body.isEmpty)
        // Every request went to one origin, one at a time: one handle carried them all.
        let counts = client.transferHandleCounts
        #expect(counts.created == 1)
        #expect(counts.reused == server.requests.count - 1)
        // Sanity: the requests before each plain one did carry what they were given.
        let requests = server.requests
        #expect(requests.first { $0.path == "/basic" }?.header("Authorization")?.hasPrefix("Basic ") == true)
        #expect(requests.first { $0.path == "/post" }?.bodyText == #"{"password":"p"}"#)
        #expect(requests.first { $0.path == "/dav" }?.method == "PROPFIND")
        #expect(requests.last { $0.path == "/digest" }?.header("Authorization")?.hasPrefix("Digest ") == true)
        #expect(requests.first { $0.path == "/userinfo" }?.header("Authorization")?.hasPrefix("Basic ") == true)
        #expect(requests.first { $0.path == "/ua" }?.header("User-Agent") == "mine")
    }

    @Test func basicCredentialsAreEncodedAsFoundationDoes() {
        for (username, password) in [
            ("", ""), ("a", ""), ("ab", "c"), ("user", "pass"), ("ünï", "çødé:with:colons"), ("x", "yy"),
        ] {
            let expected = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
            #expect(HTTPExchange.basicAuthorization(username: username, password: password) == expected)
        }
    }

    @Test func handlesAreNeverSharedAcrossOrigins() async throws {
        let first = try ScriptedHTTPServer { _ in .text("a") }
        defer { first.stop() }
        let second = try ScriptedHTTPServer { _ in .text("b") }
        defer { second.stop() }
        let client = CurlHTTPClient()
        for _ in 0..<3 {
            _ = try await client.send(
                HTTPRequest(url: first.url("/"), authentication: .basic(username: "u", password: "p")))
            let response = try await client.send(HTTPRequest(url: second.url("/")))
            #expect(String(decoding: response.body, as: UTF8.self) == "b")
            #expect(second.requests.last?.header("Authorization") == nil)
        }
        let localhost = try await client.send(
            HTTPRequest(url: first.url("/").replacingOccurrences(of: "127.0.0.1", with: "localhost")))
        #expect(localhost.status == 200)
        let counts = client.transferHandleCounts
        #expect(counts.created == 3)  // 127.0.0.1:first, 127.0.0.1:second, localhost:first
        #expect(counts.reused == 4)
    }

    @Test func concurrentRequestsReuseAtMostTheBoundOfHandles() async throws {
        let server = try ScriptedHTTPServer { _ in .text("ok") }
        defer { server.stop() }
        let client = CurlHTTPClient(configuration: HTTPClientConfiguration(maxConcurrentRequests: 4))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let request =
                        index % 2 == 0
                        ? HTTPRequest(
                            url: server.url("/\(index)"), authentication: .basic(username: "u", password: "p"))
                        : HTTPRequest(url: server.url("/\(index)"))
                    let response = try await client.send(request)
                    #expect(response.status == 200)
                }
            }
            try await group.waitForAll()
        }
        let counts = client.transferHandleCounts
        #expect(counts.created <= 4)
        #expect(counts.created + counts.reused == 200)
        for request in server.requests {
            let index = Int(request.path.dropFirst()) ?? -1
            #expect((request.header("Authorization") != nil) == (index % 2 == 0), "request \(index)")
        }
    }

    @Test func theSizeCapAppliesOnAReusedHandle() async throws {
        let server = try ScriptedHTTPServer { request in
            request.path == "/big" ? ScriptedResponse(body: Array(repeating: 65, count: 5000)) : .text("small")
        }
        defer { server.stop() }
        let client = CurlHTTPClient()
        _ = try await client.send(HTTPRequest(url: server.url("/big")))
        await #expect(throws: HTTPError.responseTooLarge(cap: 1000)) {
            try await client.send(HTTPRequest(url: server.url("/big"), maxResponseBytes: 1000))
        }
        #expect(client.transferHandleCounts == (created: 1, reused: 1))
        // A capped request leaves a handle whose cap must not stick either way.
        let small = try await client.send(HTTPRequest(url: server.url("/small"), maxResponseBytes: 5))
        #expect(String(decoding: small.body, as: UTF8.self) == "small")
        let big = try await client.send(HTTPRequest(url: server.url("/big")))
        #expect(big.body.count == 5000)
        await #expect(throws: HTTPError.responseTooLarge(cap: 4999)) {
            try await client.send(HTTPRequest(url: server.url("/big"), maxResponseBytes: 4999))
        }
    }

    @Test func timeoutsApplyOnAReusedHandle() async throws {
        let server = try ScriptedHTTPServer { request in
            request.path == "/slow" ? .text("late").with(.delay(.seconds(3))) : .text("ok")
        }
        defer { server.stop() }
        let client = CurlHTTPClient()
        _ = try await client.send(HTTPRequest(url: server.url("/fast"), timeouts: HTTPTimeouts(total: .seconds(30))))
        let start = ContinuousClock.now
        await #expect(throws: HTTPError.timeout(.total, limit: .milliseconds(300))) {
            try await client.send(
                HTTPRequest(
                    url: server.url("/slow"), timeouts: HTTPTimeouts(connect: .seconds(1), total: .milliseconds(300))))
        }
        #expect(start.duration(to: .now) < .seconds(2))
        #expect(client.transferHandleCounts == (created: 1, reused: 1))
        // The short limit does not stick to the handle that carried it.
        _ = try await client.send(HTTPRequest(url: server.url("/fast")))
        let late = try await client.send(
            HTTPRequest(url: server.url("/slow"), timeouts: HTTPTimeouts(total: .seconds(20))))
        #expect(String(decoding: late.body, as: UTF8.self) == "late")
    }

    /// The URL policy stops other schemes before the engine; libcurl's own protocol restriction is the second
    /// line, and it must be set again on a reused handle.
    @Test func libcurlsProtocolRestrictionHoldsOnAReusedHandle() async throws {
        let server = try ScriptedHTTPServer { _ in .text("ok") }
        defer { server.stop() }
        let engine = CurlEngine(maxConcurrent: 1, userAgent: nil, trustBundle: TrustBundle(path: nil))
        defer { engine.shutdown() }
        let checked = try URLPolicy().check(server.url("/"))
        func hop(_ url: CheckedURL) -> HTTPHop {
            HTTPHop(
                url: url, method: "GET", headers: [], body: nil, extraCA: nil, gzip: false,
                connectTimeout: .seconds(5), totalTimeout: .seconds(5), requestTimeout: .seconds(5),
                maxResponseBytes: 1 << 20)
        }
        _ = try await engine.perform(hop(checked))
        // A file URL dressed up as the server's origin, as if the policy had been bypassed.
        let file = CheckedURL(
            text: "file:///etc/hostname", origin: checked.origin, requestTarget: "/etc/hostname", hasUserInfo: false)
        await #expect(throws: HTTPError.self) { try await engine.perform(hop(file)) }
        #expect(engine.handleCounts == (created: 1, reused: 1))
        let after = try await engine.perform(hop(checked))
        #expect(after.status == 200)
    }
}

@Suite(
    "HTTPS on reused handles", .serialized,
    .enabled(if: TestCertificateAuthority.isAvailable, "needs the openssl command-line tool (Debian: openssl)"))
struct HTTPTLSHandleReuseTests {
    let directory = TemporaryDirectory("connvault-tls-reuse")

    @Test func aRequestsCADoesNotStayWithTheHandle() async throws {
        let authority = try TestCertificateAuthority(name: "a", in: directory)
        let server = try TLSFileServer(files: ["x.txt": "x"], authority: authority, directory: directory)
        defer { server.stop() }
        let client = CurlHTTPClient()
        for _ in 0..<2 {
            let response = try await client.send(HTTPRequest(url: server.url("/x.txt"), extraCA: authority.pem))
            #expect(response.status == 200)
        }
        #expect(client.transferHandleCounts == (created: 1, reused: 1))
        // The same origin without the request CA: the reused handle checks against the system roots only.
        do {
            _ = try await client.send(HTTPRequest(url: server.url("/x.txt")))
            Issue.record("a reused handle trusted the previous request's CA")
        } catch {
            guard case .tls = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
        #expect(client.transferHandleCounts.reused == 2)
    }
}
