import Foundation
import TestSupport
import Testing

@testable import ConnectionVault

@Suite("HTTP client basics")
struct HTTPClientTests {
    @Test func getReturnsStatusHeadersAndBody() async throws {
        let server = try ScriptedHTTPServer { request in
            .text("hello \(request.path)", headers: [("X-Twice", "a"), ("X-Twice", "b"), ("Set-Cookie", "c=1")])
        }
        defer { server.stop() }
        let client = CurlHTTPClient()
        let response = try await client.send(HTTPRequest(url: server.url("/greet?x=1")))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "hello /greet")
        #expect(response.headers.values(named: "x-twice") == ["a", "b"])
        #expect(response.headers.first(named: "content-type") == "text/plain; charset=utf-8")
        #expect(response.url == server.url("/greet?x=1"))
        #expect(response.redirectCount == 0)
        let received = try #require(server.requests.first)
        #expect(received.method == "GET")
        #expect(received.target == "/greet?x=1")
        #expect(received.header("User-Agent") == "connvault")
    }
}

extension HTTPClientTests {
    @Test func requestLineHeadersAndBodyReachTheServer() async throws {
        let server = try ScriptedHTTPServer { _ in .text("ok") }
        defer { server.stop() }
        let client = CurlHTTPClient()
        let body: [UInt8] = [0, 1, 2, 255] + Array(repeating: 7, count: 5000)
        _ = try await client.send(
            HTTPRequest(
                method: "PUT", url: server.url("/items/1"),
                headers: [HTTPHeader("X-Multi", "1"), HTTPHeader("X-Multi", "2"), HTTPHeader("X-Empty", "")],
                body: body))
        _ = try await client.send(HTTPRequest(method: "POST", url: server.url("/empty")))
        _ = try await client.send(HTTPRequest(method: "PROPFIND", url: server.url("/dav")))
        _ = try await client.send(
            HTTPRequest(method: "DELETE", url: server.url("/items/1"), headers: [HTTPHeader("User-Agent", "mine")]))
        let head = try await client.send(HTTPRequest(method: "HEAD", url: server.url("/head")))
        #expect(head.body.isEmpty && head.headers.first(named: "content-length") == "2")
        let requests = server.requests
        #expect(requests.map(\.method) == ["PUT", "POST", "PROPFIND", "DELETE", "HEAD"])
        #expect(requests[0].body == body)
        #expect(requests[0].headers(named: "x-multi") == ["1", "2"])
        #expect(requests[0].header("X-Empty") == "")
        #expect(requests[0].header("Content-Type") == nil)  // libcurl's form default is not sent
        #expect(requests[0].header("Expect") == nil)
        #expect(requests[1].header("Content-Length") == "0")
        #expect(requests[1].header("Content-Type") == nil)
        #expect(requests[2].body.isEmpty && requests[2].header("Content-Length") == nil)
        #expect(requests[3].header("User-Agent") == "mine")
    }

    @Test func responseHeadersKeepRepeatsAndUnfoldContinuations() async throws {
        let server = try ScriptedHTTPServer { _ in
            .raw(
                "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Folded: first\r\n  second\r\nset-cookie: b=2\r\n"
                    + "Content-Length: 2\r\n\r\nhi")
        }
        defer { server.stop() }
        let response = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/")))
        #expect(response.headers.values(named: "Set-Cookie") == ["a=1", "b=2"])
        #expect(response.headers.first(named: "x-folded") == "first second")
        #expect(response.headers.map(\.name) == ["Set-Cookie", "X-Folded", "set-cookie", "Content-Length"])
    }

    @Test func badHeadersAreRefusedBeforeSending() async throws {
        let server = try ScriptedHTTPServer { _ in .text("ok") }
        defer { server.stop() }
        let client = CurlHTTPClient()
        let bad: [HTTPRequest] = [
            HTTPRequest(url: server.url("/"), headers: [HTTPHeader("X-Inject", "a\r\nX-Evil: 1")]),
            HTTPRequest(url: server.url("/"), headers: [HTTPHeader("Bad Name", "v")]),
            HTTPRequest(method: "GET /x HTTP/1.1\r\n", url: server.url("/")),
        ]
        for request in bad {
            do {
                _ = try await client.send(request)
                Issue.record("expected a refusal")
            } catch {
                guard case .invalidRequest(let reason) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(!reason.contains("X-Evil"))
            }
        }
        #expect(server.requests.isEmpty)
    }

    @Test func refusedURLSendsNothing() async throws {
        await #expect(
            throws: HTTPError.refused(URLPolicyViolation(rule: .plainHTTPNotLoopback, url: "http://example.com/"))
        ) {
            try await CurlHTTPClient().send(HTTPRequest(url: "http://example.com/"))
        }
    }

    @Test func connectionRefused() async throws {
        let server = try ScriptedHTTPServer { _ in .text("never") }
        let url = server.url("/")
        server.stop()
        try await Task.sleep(for: .milliseconds(50))
        do {
            _ = try await CurlHTTPClient().send(HTTPRequest(url: url))
            Issue.record("expected a connection failure")
        } catch {
            guard case .connection(let host, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(host == "127.0.0.1")
        }
    }
}
