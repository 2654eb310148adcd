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
