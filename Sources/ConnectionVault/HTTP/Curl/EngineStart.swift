import Foundation
import Synchronization

/// A client's engines, started when the first request needs them, on a thread of their own.
///
/// Starting an engine needs libcurl, and loading libcurl (with its 30 libraries) takes several milliseconds. A
/// program that makes its executor early, such as `revalidate`, goes on meanwhile: it reads the first connections
/// and compiles their flows while libcurl loads, and no thread of Swift's cooperative pool blocks on the load.
/// Making a client therefore starts nothing; ``startInBackground()`` or the first ``lanes()`` starts the engines on
/// a thread of their own, and every request that comes before they are ready waits for the same start.
final class EngineStart<Lane: Sendable>: Sendable {
    private enum State {
        case notStarted
        case starting(waiting: [UnsafeContinuation<[Lane], Never>])
        case started([Lane])
        /// The client went away; lanes that a start still in progress makes are stopped at once.
        case closed
    }

    /// What a request does after looking at the state.
    private enum Next { case resume([Lane]), startNow, wait }

    private let state = Mutex(State.notStarted)
    private let start: @Sendable () -> [Lane]
    private let stop: @Sendable ([Lane]) -> Void

    /// `start` makes the lanes (it may block, waiting for libcurl); `stop` shuts them down.
    init(start: @escaping @Sendable () -> [Lane], stop: @escaping @Sendable ([Lane]) -> Void) {
        self.start = start
        self.stop = stop
    }

    /// The lanes once started; empty before the first request.
    var startedLanes: [Lane] {
        state.withLock { state in
            if case .started(let lanes) = state { return lanes }
            return []
        }
    }

    /// The lanes, started by the first call; later calls wait for that start. Empty once ``close()`` ran.
    func lanes() async -> [Lane] {
        if let lanes = state.withLock({ state -> [Lane]? in
            if case .started(let lanes) = state { return lanes }
            return nil
        }) {
            return lanes
        }
        return await withUnsafeContinuation { continuation in
            let next = state.withLock { state -> Next in
                switch state {
                case .started(let lanes):
                    return .resume(lanes)
                case .starting(var waiting):
                    waiting.append(continuation)
                    state = .starting(waiting: waiting)
                    return .wait
                case .notStarted:
                    state = .starting(waiting: [continuation])
                    return .startNow
                case .closed:
                    return .resume([])
                }
            }
            switch next {
            case .resume(let lanes): continuation.resume(returning: lanes)
            case .wait: break
            case .startNow: startOnNewThread()
            }
        }
    }

    /// Starts the lanes now on a new thread, unless a start already began; requests wait for that start.
    ///
    /// The thread, and the engine threads it makes, take the caller's scheduling priority (Linux threads inherit
    /// their creator's nice value): call it from the task the engines serve. Dispatch runs Swift's tasks on threads
    /// at nice −2 when the process may raise priority; engines started from a nice-0 thread then lost the CPU to
    /// the tasks they serve, and a revalidation of 10,000 took 5–10% longer (more than twice the engine threads'
    /// context switches).
    func startInBackground() {
        let startNow = state.withLock { state -> Bool in
            guard case .notStarted = state else { return false }
            state = .starting(waiting: [])
            return true
        }
        if startNow { startOnNewThread() }
    }

    /// Stops the lanes if they were started, or as soon as a start in progress makes them; requests still waiting
    /// for that start get no lanes.
    func close() {
        let (lanes, waiting) = state.withLock { state -> ([Lane], [UnsafeContinuation<[Lane], Never>]) in
            defer { state = .closed }
            switch state {
            case .started(let lanes): return (lanes, [])
            case .starting(let waiting): return ([], waiting)
            case .notStarted, .closed: return ([], [])
            }
        }
        if !lanes.isEmpty { stop(lanes) }
        for continuation in waiting { continuation.resume(returning: []) }
    }

    /// Runs the start on a thread made by the caller, counted in `CurlGlobal.starts` until it is done, so that a
    /// process exiting meanwhile (`Executor.waitForHTTPLoad()`) waits for it instead of exiting inside libcurl.
    private func startOnNewThread() {
        CurlGlobal.starts.enter()
        Thread.detachNewThread {
            self.finishStart()
            CurlGlobal.starts.leave()
        }
    }

    private func finishStart() {
        let lanes = start()
        let waiting = state.withLock { state -> [UnsafeContinuation<[Lane], Never>]? in
            guard case .starting(let waiting) = state else { return nil }
            state = .started(lanes)
            return waiting
        }
        guard let waiting else { return stop(lanes) }
        for continuation in waiting { continuation.resume(returning: lanes) }
    }
}
