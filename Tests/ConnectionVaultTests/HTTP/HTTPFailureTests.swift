import Foundation
import TestSupport
import Testing

@testable import ConnectionVault

@Suite("HTTP failures: timeouts, caps, compression, malformed responses")
struct HTTPFailureTests {
    let client = CurlHTTPClient()

    func expectError(
        _ request: HTTPRequest, sourceLocation: SourceLocation = #_sourceLocation,
        _ check: (HTTPError) -> Bool
    ) async {
        do {
            let response = try await client.send(request)
            Issue.record("expected an error, got \(response)", sourceLocation: sourceLocation)
        } catch {
            #expect(check(error), "unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    // MARK: Time

    @Test func hungServerTimesOut() async throws {
        let server = try ScriptedHTTPServer { _ in ScriptedResponse(behaviour: .hang) }
        defer { server.stop() }
        let start = ContinuousClock.now
        await expectError(
            HTTPRequest(url: server.url("/"), timeouts: HTTPTimeouts(total: .milliseconds(300)))
        ) { $0 == .timeout(.total, limit: .milliseconds(300)) }
        #expect(start.duration(to: .now) < .seconds(20))  // loose: the full suite loads both cores
        #expect(HTTPError.timeout(.total, limit: .seconds(40)).description == "request timed out after 40 s")
    }

    @Test func drippingServerHitsTheTotalLimit() async throws {
        let server = try ScriptedHTTPServer { _ in
            .text(String(repeating: "x", count: 200)).with(.drip(chunk: 1, interval: .milliseconds(20)))
        }
        defer { server.stop() }
        await expectError(
            HTTPRequest(url: server.url("/"), timeouts: HTTPTimeouts(total: .milliseconds(400)))
        ) { $0 == .timeout(.total, limit: .milliseconds(400)) }
    }

    @Test func slowButTimelyServersAreFine() async throws {
        let server = try ScriptedHTTPServer { request in
            request.path == "/drip"
                ? .text(String(repeating: "y", count: 64)).with(.drip(chunk: 8, interval: .milliseconds(5)))
                : .text("late").with(.delay(.milliseconds(100)))
        }
        defer { server.stop() }
        let timeouts = HTTPTimeouts(connect: .seconds(10), total: .seconds(20))
        let drip = try await client.send(HTTPRequest(url: server.url("/drip"), timeouts: timeouts))
        #expect(drip.body.count == 64)
        let late = try await client.send(HTTPRequest(url: server.url("/late"), timeouts: timeouts))
        #expect(String(decoding: late.body, as: UTF8.self) == "late")
    }

    @Test func theTotalLimitIsABudgetAcrossRedirects() async throws {
        let server = try ScriptedHTTPServer { request in
            let step = Int(request.path.dropFirst()) ?? 0
            return ScriptedResponse.redirect(to: "/\(step + 1)").with(.delay(.milliseconds(120)))
        }
        defer { server.stop() }
        // Each hop is well under the limit; together they pass it.
        await expectError(
            HTTPRequest(url: server.url("/0"), timeouts: HTTPTimeouts(total: .milliseconds(500)))
        ) { $0 == .timeout(.total, limit: .milliseconds(500)) }
        #expect(server.requests.count < 8)
    }

    // MARK: Size cap

    @Test func bodyOverTheCapIsRefused() async throws {
        let server = try ScriptedHTTPServer { request in
            ScriptedResponse(body: Array(repeating: 65, count: request.path == "/exact" ? 65536 : 65537))
        }
        defer { server.stop() }
        await expectError(HTTPRequest(url: server.url("/over"), maxResponseBytes: 65536)) {
            $0 == .responseTooLarge(cap: 65536)
        }
        let exact = try await client.send(HTTPRequest(url: server.url("/exact"), maxResponseBytes: 65536))
        #expect(exact.body.count == 65536)
        #expect(HTTPError.responseTooLarge(cap: 8 * 1024 * 1024).description.contains("8 MiB"))
    }

    @Test func endlessBodyIsCutOffAtTheCap() async throws {
        let server = try ScriptedHTTPServer { _ in ScriptedResponse(behaviour: .stream(bytes: 1 << 34)) }
        defer { server.stop() }
        let start = ContinuousClock.now
        await expectError(HTTPRequest(url: server.url("/"), maxResponseBytes: 1 << 20)) {
            $0 == .responseTooLarge(cap: 1 << 20)
        }
        #expect(start.duration(to: .now) < .seconds(20))  // loose: the full suite loads both cores
        #expect(server.bytesWritten < 64 << 20)
    }

    // MARK: Compression

    @Test func gzipBodiesAreDecodedWhenAsked() async throws {
        let text = String(repeating: "compressible text, ", count: 500) + "end"
        let compressed = Gzip.compress(Array(text.utf8))
        let server = try ScriptedHTTPServer { _ in
            ScriptedResponse(headers: [("Content-Encoding", "gzip")], body: compressed)
        }
        defer { server.stop() }
        let decoded = try await client.send(HTTPRequest(url: server.url("/"), gzip: true))
        #expect(String(decoding: decoded.body, as: UTF8.self) == text)
        #expect(server.requests[0].header("Accept-Encoding")?.contains("gzip") == true)
        let raw = try await client.send(HTTPRequest(url: server.url("/")))
        #expect(raw.body == compressed)
        #expect(server.requests[1].header("Accept-Encoding") == nil)
    }

    @Test func gzipBombIsCutOffAtTheCapOnDecodedBytes() async throws {
        let bomb = Gzip.zeros(count: 256 << 20)  // 256 MiB of zeros in about 1.7 MB
        #expect(bomb.count < 2 << 20)
        let fits = Gzip.zeros(count: 1 << 20)
        let server = try ScriptedHTTPServer { request in
            ScriptedResponse(headers: [("Content-Encoding", "gzip")], body: request.path == "/fits" ? fits : bomb)
        }
        defer { server.stop() }
        let start = ContinuousClock.now
        await expectError(HTTPRequest(url: server.url("/bomb"), gzip: true, maxResponseBytes: 1 << 20)) {
            $0 == .responseTooLarge(cap: 1 << 20)
        }
        #expect(start.duration(to: .now) < .seconds(20))  // loose: the full suite loads both cores
        let ok = try await client.send(HTTPRequest(url: server.url("/fits"), gzip: true, maxResponseBytes: 1 << 20))
        #expect(ok.body.count == 1 << 20 && ok.body.allSatisfy { $0 == 0 })
    }

    @Test func corruptCompressionIsMalformed() async throws {
        let server = try ScriptedHTTPServer { _ in
            ScriptedResponse(headers: [("Content-Encoding", "gzip")], body: Array("not gzip at all".utf8))
        }
        defer { server.stop() }
        await expectError(HTTPRequest(url: server.url("/"), gzip: true)) {
            if case .malformedResponse = $0 { return true }
            return false
        }
    }

    // MARK: Malformed responses

    @Test(arguments: [
        "HTTP/1.1 abc Nope\r\n\r\n", "garbage that is not http\r\n\r\n", "",
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part of it",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbad chunk\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello",
    ])
    func malformedResponses(raw: String) async throws {
        let server = try ScriptedHTTPServer { _ in .raw(raw) }
        defer { server.stop() }
        await expectError(HTTPRequest(url: server.url("/"))) {
            if case .malformedResponse = $0 { return true }
            if case .transfer(56, _) = $0 { return true }  // CURLE_RECV_ERROR: bad chunked encoding
            return false
        }
    }

    @Test func connectionClosedMidBody() async throws {
        let server = try ScriptedHTTPServer { _ in
            ScriptedResponse(body: Array(repeating: 1, count: 10_000), behaviour: .closeAfter(bytes: 500))
        }
        defer { server.stop() }
        await expectError(HTTPRequest(url: server.url("/"))) {
            if case .malformedResponse(let code, _) = $0 { return code == 18 }  // CURLE_PARTIAL_FILE
            return false
        }
    }

    @Test func errorMessagesCarryNoSecrets() async throws {
        let server = try ScriptedHTTPServer { _ in ScriptedResponse(behaviour: .hang) }
        defer { server.stop() }
        let url = server.url("/path?api_key=sekrit").replacingOccurrences(of: "http://", with: "http://me:pw123@")
        do {
            _ = try await client.send(
                HTTPRequest(
                    url: url, headers: [HTTPHeader("Authorization", "Bearer tok3n")], body: Array("passw0rd".utf8),
                    timeouts: HTTPTimeouts(total: .milliseconds(200))))
        } catch {
            for secret in ["sekrit", "pw123", "tok3n", "passw0rd"] { #expect(!"\(error)".contains(secret)) }
        }
    }
}
