internal import CCurl
import Foundation
import Synchronization

/// Runs libcurl transfers with the multi interface on one dedicated thread, never on Swift's cooperative pool.
///
/// At most `maxConcurrent` transfers are in libcurl at once; further hops wait in a FIFO queue (the wait does
/// not count against their time limits). Cancelling the waiting task removes its transfer at once.
///
/// Easy handles are reused: a handle that finished a transfer successfully is reset (``CurlEasy/recycle()``)
/// and kept in a small pool of idle handles keyed by origin, owned by the engine thread, so a handle never
/// serves two origins (connection-spec §10). A transfer that failed, was cancelled or could not be configured
/// frees its handle. libcurl's connection cache lives in the multi handle, so keep-alive connections are shared
/// by every handle (keyed by origin and TLS settings), as before.
///
/// The thread sleeps in `curl_multi_poll`; callers wake it with `curl_multi_wakeup` only when it is asleep (or
/// about to be), so a busy engine takes new hops without a wakeup per request. The wakeup (a write to a socket) is
/// made after the lock is released, so the lock is held only for queue bookkeeping: the multi handle it writes to
/// is freed in `deinit`, never while a caller can still reach the engine. Work that need not be serial — parsing
/// the response head — runs on the caller's task, not on this thread; the hop's syntax was checked by the exchange.
final class CurlEngine: HopTransport, Sendable {
    /// A hop waiting for, or holding, a slot; the continuation is resumed exactly once.
    ///
    /// A class: a job moves from the caller to the queue, to the engine's list of hops to start and into its
    /// transfer, and each move of a struct holding the hop retained every string and array of the hop again.
    private final class Job: Sendable {
        let ticket: Ticket
        let hop: HTTPHop
        let continuation: UnsafeContinuation<Result<RawHopResponse, HTTPError>, Never>

        init(ticket: Ticket, hop: HTTPHop, continuation: UnsafeContinuation<Result<RawHopResponse, HTTPError>, Never>) {
            self.ticket = ticket
            self.hop = hop
            self.continuation = continuation
        }
    }

    /// Identity and cancellation flag of one hop, shared by the caller's cancellation handler and the engine, and how
    /// long the hop waited for a slot.
    private final class Ticket: Sendable {
        let id: UInt64
        let cancelled = Atomic<Bool>(false)
        let enqueued = ContinuousClock.now
        /// Set by the engine thread when the transfer starts, before it can finish.
        private let waitNanoseconds = Atomic<Int64>(0)

        init(id: UInt64) { self.id = id }

        /// Records, on the engine thread, that the transfer starts now.
        func starting() {
            waitNanoseconds.store(enqueued.duration(to: .now).wholeNanoseconds, ordering: .relaxed)
        }

        /// How long the hop waited for a slot (zero if it never started).
        var wait: Duration { .nanoseconds(waitNanoseconds.load(ordering: .relaxed)) }
    }

    /// What callers and the engine thread share, under `shared`'s lock.
    private struct Shared {
        var pending = FIFOQueue<Job>()
        /// Hops taken from `pending` by the engine thread and not yet finished (each holds a slot).
        var active = 0
        /// Tickets of cancelled hops not in `pending`: running, or finished (or never enqueued), which the engine
        /// thread ignores.
        var cancelRequests: [UInt64] = []
        var shutdown = false
        /// The engine thread is in (or about to enter) `curl_multi_poll` and needs a wakeup to see new work.
        var sleeping = false

        /// Whether the engine thread must be woken to see a change just made: true once per sleep.
        mutating func takeSleeping() -> Bool {
            defer { sleeping = false }
            return sleeping
        }
    }

    /// The `CURLM*`. Used only by the engine thread, except `curl_multi_wakeup`, which libcurl documents as
    /// callable from any thread, and `curl_multi_cleanup` in `deinit`, once the thread has ended.
    private struct MultiPointer: @unchecked Sendable {
        let raw: UnsafeMutableRawPointer
    }

    let maxConcurrent: Int
    /// The most idle easy handles kept (each holds libcurl's buffers, some tens of KiB).
    static let maxIdleHandles = 64
    private let userAgent: String?
    private let trustBundle: TrustBundle
    private let multi: MultiPointer
    private let shared = Mutex(Shared())
    private let nextID = Atomic<UInt64>(0)
    private let handlesCreated = Atomic<Int>(0)
    private let handlesReused = Atomic<Int>(0)

    /// Easy handles created, and hops that ran on a reused handle (for tests and profiling).
    var handleCounts: (created: Int, reused: Int) {
        (handlesCreated.load(ordering: .relaxed), handlesReused.load(ordering: .relaxed))
    }

    /// Starts the engine thread. `maxConcurrent` is clamped to at least 1.
    init(maxConcurrent: Int, userAgent: String?, trustBundle: TrustBundle) {
        CurlGlobal.ensureInitialized()
        guard let raw = curl_multi_init() else { preconditionFailure("curl_multi_init failed (out of memory)") }
        multi = MultiPointer(raw: raw)
        self.maxConcurrent = max(1, maxConcurrent)
        // Keep a keep-alive connection for every slot. libcurl's default cache holds four per handle *in the multi
        // stack*, so between bursts (few handles added) it closed idle connections the next burst had to open
        // again: 1,276 connects in a revalidation of 100,000 connections to one server.
        _ = cv_curl_multi_setopt_long(raw, CURLMOPT_MAXCONNECTS, self.maxConcurrent)
        self.userAgent = userAgent
        self.trustBundle = trustBundle
        let thread = Thread { [self] in run() }
        thread.name = "connvault.curl"
        thread.start()
    }

    /// Stops the thread: waiting and running hops end with ``HTTPError/cancelled``; the multi handle (and its
    /// cached connections) is freed when the last reference to the engine goes.
    func shutdown() {
        shared.withLock { $0.shutdown = true }
        _ = curl_multi_wakeup(multi.raw)
    }

    deinit {
        // The engine thread holds a reference until its loop has ended, so nothing uses the handle any more.
        curl_multi_cleanup(multi.raw)
    }

    /// Runs one hop. Its method and headers were checked by the exchange (``HTTPSyntax/validate(method:headers:)``
    /// for the request's, each header the exchange adds on its own), so they are not checked again here.
    func perform(_ hop: HTTPHop) async throws(HTTPError) -> HopResponse {
        assert((try? HTTPSyntax.validate(method: hop.method, headers: hop.headers)) != nil, "an unchecked hop")
        let ticket = Ticket(id: nextID.add(1, ordering: .relaxed).newValue)
        let result = await withTaskCancellationHandler {
            await withUnsafeContinuation { continuation in
                enqueue(Job(ticket: ticket, hop: hop, continuation: continuation))
            }
        } onCancel: {
            cancel(ticket)
        }
        // The engine stored the wait before resuming the continuation, which orders it before this read.
        SlotWait.current?.add(ticket.wait)
        return try HopResponse(result.get())
    }

    // MARK: Callers' side

    private func enqueue(_ job: Job) {
        let (accepted, wake) = shared.withLock { shared -> (Bool, Bool) in
            guard !shared.shutdown, !job.ticket.cancelled.load(ordering: .sequentiallyConsistent) else {
                return (false, false)
            }
            shared.pending.append(job)
            return (true, shared.takeSleeping())
        }
        if wake { _ = curl_multi_wakeup(multi.raw) }
        if !accepted { job.continuation.resume(returning: .failure(.cancelled)) }
    }

    private func cancel(_ ticket: Ticket) {
        ticket.cancelled.store(true, ordering: .sequentiallyConsistent)
        let (waiting, wake) = shared.withLock { shared -> (Job?, Bool) in
            if let job = shared.pending.removeFirst(where: { $0.ticket.id == ticket.id }) { return (job, false) }
            // Taken by the engine thread, or finished already (then the request is ignored) or never enqueued.
            if shared.shutdown { return (nil, false) }
            shared.cancelRequests.append(ticket.id)
            return (nil, shared.takeSleeping())
        }
        // A busy engine thread looks at `shared` again before it decides to sleep, so it needs no wakeup.
        if wake { _ = curl_multi_wakeup(multi.raw) }
        waiting?.continuation.resume(returning: .failure(.cancelled))
    }

    // MARK: Engine thread

    /// A transfer in the multi stack: its handle (kept alive here for libcurl's callbacks) and its caller.
    private struct Active {
        let easy: CurlEasy
        let job: Job
        let started: ContinuousClock.Instant
    }

    private func run() {
        var active: [UInt64: Active] = [:]
        var ids: [UnsafeMutableRawPointer: UInt64] = [:]
        var idle = IdleHandles(capacity: min(maxConcurrent, Self.maxIdleHandles))
        /// Transfers finished since the last look at `shared`, whose slots are still counted there.
        var finishedCount = 0
        /// Hops taken from `shared` to start, and cancellations to apply; reused, so the engine thread's own turns
        /// under the lock allocate nothing.
        var starting: [Job] = []
        var cancels: [UInt64] = []

        /// Ends transfer `id`; its handle goes back to the pool only after a successful transfer.
        func finish(_ id: UInt64, _ result: Result<RawHopResponse, HTTPError>) {
            guard let transfer = active.removeValue(forKey: id) else { return }
            _ = curl_multi_remove_handle(multi.raw, transfer.easy.handle)
            ids[transfer.easy.handle] = nil
            finishedCount += 1
            if case .success = result {
                transfer.easy.recycle()
                idle.put(transfer.easy)
            }
            transfer.job.continuation.resume(returning: result)
        }

        func start(_ job: Job) {
            let id = job.ticket.id
            do throws(HTTPError) {
                if job.ticket.cancelled.load(ordering: .sequentiallyConsistent) { throw .cancelled }
                job.ticket.starting()
                let origin = job.hop.url.origin
                let easy: CurlEasy
                if let reused = idle.take(for: origin) {
                    easy = reused
                    handlesReused.add(1, ordering: .relaxed)
                } else {
                    guard let fresh = CurlEasy(origin: origin) else {
                        throw .invalidRequest("libcurl could not allocate a handle")
                    }
                    easy = fresh
                    handlesCreated.add(1, ordering: .relaxed)
                }
                // A handle whose configuration failed is dropped here, never pooled.
                try easy.configure(for: job.hop, userAgent: userAgent, trustBundle: trustBundle)
                guard curl_multi_add_handle(multi.raw, easy.handle) == CURLM_OK else {
                    throw .invalidRequest("libcurl refused the transfer")
                }
                active[id] = Active(easy: easy, job: job, started: .now)
                ids[easy.handle] = id
            } catch {
                finishedCount += 1
                job.continuation.resume(returning: .failure(error))
            }
        }

        while true {
            starting.reserveCapacity(maxConcurrent)
            let stopping = shared.withLock { shared -> Bool in
                shared.sleeping = false
                shared.active -= finishedCount
                if shared.shutdown { return true }
                while shared.active < maxConcurrent, let job = shared.pending.popFirst() {
                    shared.active += 1
                    starting.append(job)
                }
                swap(&cancels, &shared.cancelRequests)
                return false
            }
            finishedCount = 0
            if stopping { break }

            for job in starting { start(job) }
            starting.removeAll(keepingCapacity: true)
            for id in cancels { finish(id, .failure(.cancelled)) }
            cancels.removeAll(keepingCapacity: true)

            var running: Int32 = 0
            _ = curl_multi_perform(multi.raw, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi.raw, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                    let id = ids[handle], let transfer = active[id]
                else { continue }
                let code = cv_curl_msg_result(message)
                finish(
                    id,
                    transfer.easy.result(code, hop: transfer.job.hop, activeTime: transfer.started.duration(to: .now)))
            }
            // Sleep only when nothing is left to do: no slot freed, nothing to cancel, no way to start a waiting hop.
            let sleep = shared.withLock { shared -> Bool in
                shared.active -= finishedCount
                guard !shared.shutdown, shared.cancelRequests.isEmpty,
                    shared.pending.isEmpty || shared.active >= maxConcurrent
                else { return false }
                shared.sleeping = true
                return true
            }
            finishedCount = 0
            if sleep { _ = curl_multi_poll(multi.raw, nil, 0, 1000, nil) }
        }

        // Shutting down: everything still waiting or running ends as cancelled.
        for id in Array(active.keys) { finish(id, .failure(.cancelled)) }
        idle.removeAll()
        let leftovers = shared.withLock { shared -> [Job] in
            var jobs: [Job] = []
            while let job = shared.pending.popFirst() { jobs.append(job) }
            return jobs
        }
        for job in leftovers { job.continuation.resume(returning: .failure(.cancelled)) }
    }
}

/// The engine thread's idle easy handles, by origin, at most `capacity` in all (the concurrency bound, at most
/// ``CurlEngine/maxIdleHandles``).
///
/// When it is full, a returned handle replaces one of the origin holding the most idle handles, so a run that
/// moves from one origin to another does not keep the first one's handles forever.
private struct IdleHandles: ~Copyable {
    private let capacity: Int
    private var byOrigin: [Origin: [CurlEasy]] = [:]
    private var count = 0

    init(capacity: Int) { self.capacity = capacity }

    mutating func take(for origin: Origin) -> CurlEasy? {
        guard let easy = byOrigin[origin]?.popLast() else { return nil }
        if byOrigin[origin]?.isEmpty == true { byOrigin[origin] = nil }
        count -= 1
        return easy
    }

    mutating func put(_ easy: CurlEasy) {
        if count >= capacity {
            guard let (fullest, handles) = byOrigin.max(by: { $0.value.count < $1.value.count }),
                fullest != easy.origin, !handles.isEmpty
            else { return }  // this origin has the most: drop the returned handle instead
            byOrigin[fullest]?.removeLast()
            if byOrigin[fullest]?.isEmpty == true { byOrigin[fullest] = nil }
            count -= 1
        }
        byOrigin[easy.origin, default: []].append(easy)
        count += 1
    }

    mutating func removeAll() {
        byOrigin = [:]
        count = 0
    }
}
