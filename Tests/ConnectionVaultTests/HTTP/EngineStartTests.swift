import Foundation
import Synchronization
import Testing

@testable import ConnectionVault

/// `EngineStart` on its own, with a start that counts its calls and waits until the test lets it finish.
@Suite("Engine start")
struct EngineStartTests {
    final class Probe: Sendable {
        let starts = Atomic<Int>(0)
        let stopped = Mutex<[[Int]]>([])
        let release = DispatchSemaphore(value: 0)

        func engineStart() -> EngineStart<Int> {
            EngineStart(
                start: { [self] in
                    starts.add(1, ordering: .sequentiallyConsistent)
                    release.wait()
                    return [7, 8]
                },
                stop: { [self] lanes in stopped.withLock { $0.append(lanes) } })
        }

        /// Waits (a bounded while) until `condition` holds.
        func eventually(_ condition: () -> Bool) async throws {
            for _ in 0..<400 where !condition() { try await Task.sleep(for: .milliseconds(5)) }
        }
    }

    @Test func concurrentFirstCallsShareOneStart() async throws {
        let probe = Probe()
        let engines = probe.engineStart()
        let results = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<50 { group.addTask { await engines.lanes() } }
            try await probe.eventually { probe.starts.load(ordering: .sequentiallyConsistent) == 1 }
            probe.release.signal()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 50)
        #expect(results.allSatisfy { $0 == [7, 8] })
        #expect(probe.starts.load(ordering: .sequentiallyConsistent) == 1)
        #expect(await engines.lanes() == [7, 8], "later calls get the started lanes")
        #expect(probe.starts.load(ordering: .sequentiallyConsistent) == 1)
    }

    @Test func closingBeforeAnyRequestStartsNothing() async {
        let probe = Probe()
        let engines = probe.engineStart()
        engines.close()
        #expect(await engines.lanes() == [], "a request after close gets no lanes")
        #expect(probe.starts.load(ordering: .sequentiallyConsistent) == 0)
        #expect(probe.stopped.withLock { $0 }.isEmpty, "nothing to stop")
    }

    /// Requests waiting for a start when the client goes get no lanes (they end as cancelled), and the lanes the
    /// start then makes are stopped at once.
    @Test func closingDuringAStartFreesTheWaitersAndStopsItsLanes() async throws {
        let probe = Probe()
        let engines = probe.engineStart()
        let waiters = (0..<3).map { _ in Task { await engines.lanes() } }
        try await probe.eventually { probe.starts.load(ordering: .sequentiallyConsistent) == 1 }
        try await Task.sleep(for: .milliseconds(20))  // let the other two calls join the start
        engines.close()
        for waiter in waiters { #expect(await waiter.value == []) }
        probe.release.signal()
        try await probe.eventually { !probe.stopped.withLock { $0.isEmpty } }
        #expect(probe.stopped.withLock { $0 } == [[7, 8]], "stopped once, when the start made them")
    }

    /// `startInBackground()` starts the lanes with no request; the first request then gets them without a second
    /// start, and a second `startInBackground()` does nothing.
    @Test func aBackgroundStartNeedsNoRequestAndHappensOnce() async throws {
        let probe = Probe()
        let engines = probe.engineStart()
        engines.startInBackground()
        try await probe.eventually { probe.starts.load(ordering: .sequentiallyConsistent) == 1 }
        #expect(engines.startedLanes == [], "not started until the start returns")
        engines.startInBackground()
        probe.release.signal()
        try await probe.eventually { engines.startedLanes == [7, 8] }
        #expect(await engines.lanes() == [7, 8])
        #expect(probe.starts.load(ordering: .sequentiallyConsistent) == 1)
    }

    /// A request made while a background start runs waits for it instead of starting another.
    @Test func aRequestDuringABackgroundStartWaitsForIt() async throws {
        let probe = Probe()
        let engines = probe.engineStart()
        engines.startInBackground()
        try await probe.eventually { probe.starts.load(ordering: .sequentiallyConsistent) == 1 }
        let request = Task { await engines.lanes() }
        try await Task.sleep(for: .milliseconds(20))
        probe.release.signal()
        #expect(await request.value == [7, 8])
        #expect(probe.starts.load(ordering: .sequentiallyConsistent) == 1)
    }

    /// The start runs on a thread made by the caller, so it (and the engine threads it makes) gets the caller's
    /// nice value: here a thread of the test's own, three above where it started (raising it needs no privilege).
    @Test func aBackgroundStartTakesTheCallersPriority() async throws {
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let seen = Mutex<Int32?>(nil)
        let expected = Mutex<Int32?>(nil)
        let engines = EngineStart<Int32>(
            start: {
                let nice = getpriority(which, 0)  // 0: the calling thread, on Linux
                seen.withLock { $0 = nice }
                return [nice]
            },
            stop: { _ in })
        let caller = Thread {
            let raised = min(getpriority(which, 0) + 3, 19)
            #expect(setpriority(which, 0, raised) == 0)
            expected.withLock { $0 = raised }
            engines.startInBackground()
        }
        caller.start()
        let probe = Probe()
        try await probe.eventually { seen.withLock { $0 } != nil }
        #expect(seen.withLock { $0 } == expected.withLock { $0 })
        #expect(await engines.lanes() == [seen.withLock { $0 } ?? -99])
    }
}

