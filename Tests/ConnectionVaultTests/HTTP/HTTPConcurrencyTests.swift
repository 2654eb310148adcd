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

    /// Several engine threads share the bound (3 over 2 engines: 2 + 1): together they never exceed it, and a
    /// request goes to the engine with room, so two slow requests over two one-slot engines run side by side.
    @Test func engineThreadsShareTheBoundAndEachRequestGoesWhereThereIsRoom() async throws {
        let server = try ScriptedHTTPServer { _ in .text("slow").with(.delay(.milliseconds(60))) }
        defer { server.stop() }
        let shared = CurlHTTPClient(configuration: HTTPClientConfiguration(maxConcurrentRequests: 3, engineThreads: 2))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<24 {
                group.addTask { _ = try await shared.send(HTTPRequest(url: server.url("/\(index)"))) }
            }
            try await group.waitForAll()
        }
        #expect(shared.engineCount == 2)
        #expect(server.requests.count == 24)
        #expect(server.peakConcurrentRequests == 3)
        #expect(shared.transferHandleCounts.created <= 3)

        let hanging = try ScriptedHTTPServer { request in
            request.path == "/hang" ? ScriptedResponse(behaviour: .hang) : .text("ok")
        }
        defer { hanging.stop() }
        let pair = CurlHTTPClient(configuration: HTTPClientConfiguration(maxConcurrentRequests: 2, engineThreads: 2))
        let held = Task { try await pair.send(HTTPRequest(url: hanging.url("/hang"))) }
        while hanging.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        // The first engine's one slot is held: the next request runs on the second engine instead of waiting (a
        // wait would be endless: the watchdog then cancels it, and the test fails rather than hangs).
        let nextTask = Task { try await pair.send(HTTPRequest(url: hanging.url("/next"))) }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(10))
            nextTask.cancel()
        }
        let next = try await nextTask.value
        watchdog.cancel()
        #expect(next.status == 200)
        #expect(pair.transferHandleCounts.created == 2, "one handle on each engine")
        held.cancel()
        _ = await held.result
        // Never more engines than the bound: each needs a slot.
        let single = CurlHTTPClient(configuration: HTTPClientConfiguration(maxConcurrentRequests: 1, engineThreads: 4))
        _ = try await single.send(HTTPRequest(url: hanging.url("/single")))
        #expect(single.engineCount == 1)
    }

    /// Keep-alive connections outlive a quiet spell: an engine keeps one idle connection per slot, so a burst after a
    /// run of single requests reuses the first burst's connections. (libcurl's default cache holds four per transfer
    /// in flight: the single requests closed all but four, and the second burst opened four again.)
    @Test func aBurstAfterSingleRequestsReusesTheFirstBurstsConnections() async throws {
        let server = try ScriptedHTTPServer { request in
            request.path == "/single" ? .text("ok") : .text("slow").with(.delay(.milliseconds(80)))
        }
        defer { server.stop() }
        let client = CurlHTTPClient(
            configuration: HTTPClientConfiguration(maxConcurrentRequests: 8, engineThreads: 1))
        func burst() async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<8 {
                    group.addTask { _ = try await client.send(HTTPRequest(url: server.url("/\(index)"))) }
                }
                try await group.waitForAll()
            }
        }
        // The engine starts with the first request: started first, it cannot hold up one of the burst's requests
        // (each burst request must still be running when the last one arrives).
        _ = try await client.send(HTTPRequest(url: server.url("/single")))
        try await burst()
        #expect(server.peakConcurrentRequests == 8)
        let afterFirstBurst = server.connectionCount
        for _ in 0..<8 { _ = try await client.send(HTTPRequest(url: server.url("/single"))) }
        try await burst()
        #expect(server.connectionCount == afterFirstBurst, "no connection opened again")
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

    /// Making a client starts no engine (so a program goes on while libcurl loads); the first requests, sent at
    /// once, wait for the start and run on its engines. (`EngineStartTests` shows they share one start.)
    @Test func enginesStartWithTheFirstRequests() async throws {
        let server = try ScriptedHTTPServer { _ in .text("ok").with(.delay(.milliseconds(20))) }
        defer { server.stop() }
        let client = CurlHTTPClient(configuration: HTTPClientConfiguration(maxConcurrentRequests: 4, engineThreads: 2))
        #expect(client.engineCount == 0)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask { try await client.send(HTTPRequest(url: server.url("/\(index)"))).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 8))
        #expect(client.engineCount == 2)
        #expect(server.peakConcurrentRequests <= 4)
        #expect(client.transferHandleCounts.created <= 4, "the engines' handles are reused")
    }
}
