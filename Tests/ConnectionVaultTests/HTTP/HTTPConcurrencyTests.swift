import Foundation
import Synchronization
import TestSupport
import Testing

@testable import ConnectionVault

@Suite("HTTP concurrency bound and cancellation")
struct HTTPConcurrencyTests {
    @Test func requestsInFlightStayWithinTheBound() async throws {
        let server = try ScriptedHTTPServer { _ in .text("slow").with(.delay(.milliseconds(60))) }
        defer { server.stop() }
        let client = CurlHTTPClient(configuration: HTTPClientConfiguration(maxConcurrentRequests: 4))
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<16 {
                group.addTask { try await client.send(HTTPRequest(url: server.url("/\(index)"))).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 16))
        #expect(server.requests.count == 16)
        #expect(server.peakConcurrentRequests <= 4)
        #expect(server.peakConcurrentRequests >= 2)
    }

    @Test func manyRequestsRunConcurrently() async throws {
        let server = try ScriptedHTTPServer { _ in .text("slow").with(.delay(.milliseconds(100))) }
        defer { server.stop() }
        let client = CurlHTTPClient(configuration: HTTPClientConfiguration(maxConcurrentRequests: 32))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<32 { group.addTask { _ = try await client.send(HTTPRequest(url: server.url("/"))) } }
            try await group.waitForAll()
        }
        #expect(server.peakConcurrentRequests > 4)
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let server = try ScriptedHTTPServer { _ in ScriptedResponse(behaviour: .hang) }
        defer { server.stop() }
        let client = CurlHTTPClient()
        let task = Task { try await client.send(HTTPRequest(url: server.url("/hang"))) }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let start = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(start.duration(to: .now) < .seconds(20))  // far below the default 40 s limit
        #expect(throws: HTTPError.cancelled) { try result.get() }
        // The client closed the connection, so the server's hung handler sees EOF and returns.
        for _ in 0..<100 where server.inFlightRequests > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.inFlightRequests == 0)
    }

    @Test func cancellingAWaitingRequestNeverSendsIt() async throws {
        let server = try ScriptedHTTPServer { _ in ScriptedResponse(behaviour: .hang) }
        defer { server.stop() }
        let client = CurlHTTPClient(configuration: HTTPClientConfiguration(maxConcurrentRequests: 1))
        let first = Task { try await client.send(HTTPRequest(url: server.url("/first"))) }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let second = Task { try await client.send(HTTPRequest(url: server.url("/second"))) }
        try await Task.sleep(for: .milliseconds(50))
        second.cancel()
        await #expect(throws: HTTPError.cancelled) { try await second.value }
        first.cancel()
        await #expect(throws: HTTPError.cancelled) { try await first.value }
        #expect(server.requests.map(\.path) == ["/first"])
    }

    @Test func alreadyCancelledTaskSendsNothing() async throws {
        let server = try ScriptedHTTPServer { _ in .text("ok") }
        defer { server.stop() }
        let client = CurlHTTPClient()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.send(HTTPRequest(url: server.url("/")))
        }
        await #expect(throws: HTTPError.cancelled) { try await task.value }
        #expect(server.requests.isEmpty)
    }

    @Test func droppingTheClientCancelsWaitingWork() async throws {
        let server = try ScriptedHTTPServer { _ in .text("ok") }
        defer { server.stop() }
        var client: CurlHTTPClient? = CurlHTTPClient()
        _ = try await client!.send(HTTPRequest(url: server.url("/")))
        client = nil  // the engine thread exits; nothing leaks or hangs
        #expect(server.requests.count == 1)
    }
}
