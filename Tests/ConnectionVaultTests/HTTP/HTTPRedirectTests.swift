import Foundation
import TestSupport
import Testing

@testable import ConnectionVault

@Suite("HTTP redirects")
struct HTTPRedirectTests {
    let client = CurlHTTPClient()

    static let secretHeaders = [
        HTTPHeader("Authorization", "Bearer top-secret"), HTTPHeader("X-Api-Key", "key-123"),
        HTTPHeader("Cookie", "session=abc"), HTTPHeader("Proxy-Authorization", "Basic eA=="),
        HTTPHeader("X-Plain", "visible"),
    ]

    @Test func sameOriginRedirectKeepsCredentials() async throws {
        let server = try ScriptedHTTPServer { request in
            request.path == "/start" ? .redirect(to: "/next?page=2") : .text("done")
        }
        defer { server.stop() }
        let response = try await client.send(
            HTTPRequest(url: server.url("/start"), headers: Self.secretHeaders, secretHeaderNames: ["x-api-key"]))
        #expect(response.status == 200)
        #expect(response.redirectCount == 1)
        #expect(response.url == server.url("/next?page=2"))
        let second = try #require(server.requests.last)
        #expect(second.target == "/next?page=2")
        #expect(second.header("Authorization") == "Bearer top-secret")
        #expect(second.header("X-Api-Key") == "key-123")
        #expect(second.header("Cookie") == "session=abc")
        #expect(second.header("X-Plain") == "visible")
    }

    @Test func crossOriginRedirectDropsCredentialsForTheRestOfTheExchange() async throws {
        let first = try ScriptedHTTPServer { _ in .text("back home") }
        defer { first.stop() }
        let other = try ScriptedHTTPServer { request in
            request.path == "/hop" ? .redirect(307, to: first.url("/final")) : .text("?")
        }
        defer { other.stop() }
        let start = try ScriptedHTTPServer { _ in .redirect(to: other.url("/hop")) }
        defer { start.stop() }
        // `start` and `first` are different origins (ports); the request names `start`.
        let response = try await client.send(
            HTTPRequest(
                url: start.url("/begin"), headers: Self.secretHeaders,
                authentication: .basic(username: "user", password: "pass"), secretHeaderNames: ["X-API-KEY"]))
        #expect(response.status == 200)
        #expect(response.redirectCount == 2)
        #expect(start.requests.first?.header("Authorization") == "Basic dXNlcjpwYXNz")
        for request in other.requests + first.requests {
            #expect(request.header("Authorization") == nil)
            #expect(request.header("X-Api-Key") == nil)
            #expect(request.header("Cookie") == nil)
            #expect(request.header("Proxy-Authorization") == nil)
            #expect(request.header("X-Plain") == "visible")
        }
        #expect(other.requests.count == 1 && first.requests.count == 1)
    }

    @Test func anotherHostNameForTheSameAddressIsAnotherOrigin() async throws {
        let server = try ScriptedHTTPServer { request in
            request.path == "/start"
                ? .redirect(to: "http://localhost:\(request.header("Host")!.split(separator: ":").last!)/next")
                : .text("ok")
        }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(url: server.url("/start"), headers: Self.secretHeaders))
        #expect(response.status == 200)
        #expect(server.requests.count == 2)
        #expect(server.requests[0].header("Authorization") != nil)
        #expect(server.requests[1].header("Authorization") == nil)
        #expect(server.requests[1].header("Cookie") == nil)
    }

    @Test func userInfoInTheURLIsNotCarriedToAnotherOrigin() async throws {
        let other = try ScriptedHTTPServer { _ in .text("other") }
        defer { other.stop() }
        let server = try ScriptedHTTPServer { _ in .redirect(to: other.url("/x")) }
        defer { server.stop() }
        let url = server.url("/start").replacingOccurrences(of: "http://", with: "http://alice:wonder@")
        let response = try await client.send(HTTPRequest(url: url))
        #expect(response.status == 200)
        #expect(server.requests.first?.header("Authorization") == "Basic YWxpY2U6d29uZGVy")
        #expect(other.requests.first?.header("Authorization") == nil)
    }

    @Test(arguments: [
        (301, "POST", "GET", false), (302, "POST", "GET", false), (303, "POST", "GET", false),
        (303, "PUT", "GET", false), (303, "HEAD", "HEAD", false), (302, "PUT", "PUT", true),
        (307, "POST", "POST", true), (308, "PUT", "PUT", true), (301, "DELETE", "DELETE", false),
    ])
    func methodAndBodyAcrossRedirects(status: Int, method: String, expectedMethod: String, keepsBody: Bool)
        async throws
    {
        let server = try ScriptedHTTPServer { request in
            request.path == "/form" ? .redirect(status, to: "/result") : .text("ok")
        }
        defer { server.stop() }
        let body: [UInt8]? = method == "HEAD" || method == "DELETE" ? nil : Array(#"{"a":1}"#.utf8)
        let response = try await client.send(
            HTTPRequest(
                method: method, url: server.url("/form"), headers: [HTTPHeader("Content-Type", "application/json")],
                body: body))
        #expect(response.status == 200)
        let followed = try #require(server.requests.last)
        #expect(followed.path == "/result")
        #expect(followed.method == expectedMethod)
        if keepsBody {
            #expect(followed.bodyText == #"{"a":1}"#)
            #expect(followed.header("Content-Type") == "application/json")
        } else {
            #expect(followed.body.isEmpty)
            // A rewrite to GET drops the body's headers; a kept method without a body keeps what was set.
            #expect(followed.header("Content-Type") == (expectedMethod == method ? "application/json" : nil))
        }
    }

    @Test func redirectLoopEndsAfterTenRedirects() async throws {
        let server = try ScriptedHTTPServer { _ in .redirect(to: "/again") }
        defer { server.stop() }
        await #expect(throws: HTTPError.tooManyRedirects(limit: 10)) {
            try await client.send(HTTPRequest(url: server.url("/loop")))
        }
        #expect(server.requests.count == 11)
    }

    @Test func tenRedirectsAreFine() async throws {
        let server = try ScriptedHTTPServer { request in
            let step = Int(request.path.dropFirst()) ?? 0
            return step < 10 ? .redirect(308, to: "/\(step + 1)") : .text("arrived")
        }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(url: server.url("/0")))
        #expect(response.redirectCount == 10)
        #expect(String(decoding: response.body, as: UTF8.self) == "arrived")
    }

    @Test(arguments: [
        ("file:///etc/passwd", URLPolicyViolation.Rule.schemeNotAllowed("file")),
        ("ftp://127.0.0.1/x", .schemeNotAllowed("ftp")), ("gopher://127.0.0.1:70/", .schemeNotAllowed("gopher")),
        ("http://example.com/", .plainHTTPNotLoopback), ("http://127.0.0.1.nip.io/", .plainHTTPNotLoopback),
    ])
    func redirectTargetsObeyTheURLPolicy(location: String, rule: URLPolicyViolation.Rule) async throws {
        let server = try ScriptedHTTPServer { _ in .redirect(to: location) }
        defer { server.stop() }
        do {
            _ = try await client.send(HTTPRequest(url: server.url("/start")))
            Issue.record("expected a refusal")
        } catch {
            guard case .refused(let violation) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(violation.rule == rule)
            #expect(violation.isRedirectTarget)
            #expect(error.description.hasPrefix("redirect target refused"))
        }
        #expect(server.requests.count == 1)
    }

    @Test func redirectsAreNotFollowedWhenTheRequestSaysSo() async throws {
        let server = try ScriptedHTTPServer { request in
            request.path == "/start" ? .redirect(to: "/next") : .text("followed")
        }
        defer { server.stop() }
        let get = try await client.send(HTTPRequest(url: server.url("/start"), followRedirects: false))
        #expect(get.status == 302)
        #expect(get.headers.first(named: "location") == "/next")
        // followRedirects covers GET; POST is governed by followAllRedirects alone.
        let post = try await client.send(
            HTTPRequest(
                method: "POST", url: server.url("/start"), body: [], followRedirects: true, followAllRedirects: false))
        #expect(post.status == 302)
        let postAll = try await client.send(
            HTTPRequest(method: "POST", url: server.url("/start"), body: [], followRedirects: false))
        #expect(postAll.status == 200)
        #expect(server.requests.map(\.path) == ["/start", "/start", "/start", "/next"])
    }

    @Test func redirectWithoutLocationIsTheFinalResponse() async throws {
        let server = try ScriptedHTTPServer { _ in ScriptedResponse(status: 302, body: Array("moved?".utf8)) }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(url: server.url("/")))
        #expect(response.status == 302)
        #expect(response.redirectCount == 0)
    }
}

extension HTTPRedirectTests {
    @Test func locationWithSpacesAndNonASCIIIsEncoded() async throws {
        let server = try ScriptedHTTPServer { request in
            request.path == "/start" ? .redirect(to: "/a b/ñ?q=x y") : .text("ok")
        }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(url: server.url("/start")))
        #expect(response.status == 200)
        #expect(server.requests.last?.target == "/a%20b/%c3%b1?q=x+y")  // libcurl writes a space in a query as +
    }

    @Test func callerFramingHeadersAreIgnored() async throws {
        let server = try ScriptedHTTPServer { _ in .text("ok") }
        defer { server.stop() }
        _ = try await client.send(
            HTTPRequest(
                method: "POST", url: server.url("/"),
                headers: [HTTPHeader("Content-Length", "2"), HTTPHeader("Transfer-Encoding", "chunked")],
                body: Array("hello".utf8)))
        #expect(server.requests.first?.bodyText == "hello")
        #expect(server.requests.first?.header("Content-Length") == "5")
        #expect(server.requests.first?.header("Transfer-Encoding") == nil)
    }
}
