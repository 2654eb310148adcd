internal import CCurl
import Foundation
import Synchronization

/// Runs libcurl transfers with the multi interface on one dedicated thread, never on Swift's cooperative pool.
///
/// At most `maxConcurrent` transfers are in libcurl at once; further hops wait in a FIFO queue (the wait does
/// not count against their time limits). Every hop gets a fresh easy handle, so a handle never serves two
/// origins; libcurl's connection cache (shared by the multi handle, keyed by origin and TLS settings) still
/// reuses connections. Cancelling the waiting task removes its transfer at once.
final class CurlEngine: HopTransport, Sendable {
    /// A hop waiting for, or holding, a slot; the continuation is resumed exactly once.
    private struct Job: Sendable {
        let ticket: Ticket
        let hop: HTTPHop
        let continuation: CheckedContinuation<Result<HopResponse, HTTPError>, Never>
    }

    /// Identity and cancellation flag of one hop, shared by the caller's cancellation handler and the engine.
    private final class Ticket: Sendable {
        let id: UInt64
        let cancelled = Atomic<Bool>(false)

        init(id: UInt64) { self.id = id }
    }

    /// What callers and the engine thread share, under `shared`'s lock.
    private struct Shared {
        var pending: [Job] = []
        var pendingHead = 0
        var activeIDs: Set<UInt64> = []
        var cancelRequests: [UInt64] = []
        var shutdown = false
        var multiFreed = false

        mutating func popPending() -> Job? {
            guard pendingHead < pending.count else { return nil }
            let job = pending[pendingHead]
            pendingHead += 1
            if pendingHead > 64, pendingHead * 2 > pending.count {
                pending.removeFirst(pendingHead)
                pendingHead = 0
            }
            return job
        }

        mutating func removePending(id: UInt64) -> Job? {
            guard let index = pending[pendingHead...].firstIndex(where: { $0.ticket.id == id }) else { return nil }
            return pending.remove(at: index)
        }
    }

    /// The `CURLM*`. Used only by the engine thread, except `curl_multi_wakeup`, which libcurl documents as
    /// callable from any thread and which is called under `shared`'s lock while the handle is alive.
    private struct MultiPointer: @unchecked Sendable {
        let raw: UnsafeMutableRawPointer
    }

    let maxConcurrent: Int
    private let userAgent: String?
    private let trustBundle: TrustBundle
    private let multi: MultiPointer
    private let shared = Mutex(Shared())
    private let nextID = Atomic<UInt64>(0)

    /// Starts the engine thread. `maxConcurrent` is clamped to at least 1.
    init(maxConcurrent: Int, userAgent: String?, trustBundle: TrustBundle) {
        CurlGlobal.ensureInitialized()
        guard let raw = curl_multi_init() else { preconditionFailure("curl_multi_init failed (out of memory)") }
        multi = MultiPointer(raw: raw)
        self.maxConcurrent = max(1, maxConcurrent)
        self.userAgent = userAgent
        self.trustBundle = trustBundle
        let thread = Thread { [self] in run() }
        thread.name = "connvault.curl"
        thread.start()
    }

    /// Stops the thread: waiting and running hops end with ``HTTPError/cancelled``, then the multi handle is freed.
    func shutdown() {
        shared.withLock { shared in
            shared.shutdown = true
            if !shared.multiFreed { _ = curl_multi_wakeup(multi.raw) }
        }
    }

    func perform(_ hop: HTTPHop) async throws(HTTPError) -> HopResponse {
        let ticket = Ticket(id: nextID.add(1, ordering: .relaxed).newValue)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                enqueue(Job(ticket: ticket, hop: hop, continuation: continuation))
            }
        } onCancel: {
            cancel(ticket)
        }
        return try result.get()
    }

    // MARK: Callers' side

    private func enqueue(_ job: Job) {
        let accepted = shared.withLock { shared in
            guard !shared.shutdown, !job.ticket.cancelled.load(ordering: .sequentiallyConsistent) else { return false }
            shared.pending.append(job)
            if !shared.multiFreed { _ = curl_multi_wakeup(multi.raw) }
            return true
        }
        if !accepted { job.continuation.resume(returning: .failure(.cancelled)) }
    }

    private func cancel(_ ticket: Ticket) {
        ticket.cancelled.store(true, ordering: .sequentiallyConsistent)
        let waiting = shared.withLock { shared -> Job? in
            if let job = shared.removePending(id: ticket.id) { return job }
            if shared.activeIDs.contains(ticket.id) {
                shared.cancelRequests.append(ticket.id)
                if !shared.multiFreed { _ = curl_multi_wakeup(multi.raw) }
            }
            return nil
        }
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

        func finish(_ id: UInt64, _ result: Result<HopResponse, HTTPError>) {
            guard let transfer = active.removeValue(forKey: id) else { return }
            _ = curl_multi_remove_handle(multi.raw, transfer.easy.handle)
            ids[transfer.easy.handle] = nil
            shared.withLock { _ = $0.activeIDs.remove(id) }
            transfer.job.continuation.resume(returning: result)
        }

        while true {
            let (starting, cancels, stopping) = shared.withLock { shared -> ([Job], [UInt64], Bool) in
                if shared.shutdown { return ([], [], true) }
                var starting: [Job] = []
                while shared.activeIDs.count < maxConcurrent, let job = shared.popPending() {
                    shared.activeIDs.insert(job.ticket.id)
                    starting.append(job)
                }
                defer { shared.cancelRequests = [] }
                return (starting, shared.cancelRequests, false)
            }
            if stopping { break }

            for job in starting {
                let id = job.ticket.id
                do throws(HTTPError) {
                    if job.ticket.cancelled.load(ordering: .sequentiallyConsistent) { throw .cancelled }
                    let easy = try CurlEasy(hop: job.hop, userAgent: userAgent, trustBundle: trustBundle)
                    guard curl_multi_add_handle(multi.raw, easy.handle) == CURLM_OK else {
                        throw .invalidRequest("libcurl refused the transfer")
                    }
                    active[id] = Active(easy: easy, job: job, started: .now)
                    ids[easy.handle] = id
                } catch {
                    shared.withLock { _ = $0.activeIDs.remove(id) }
                    job.continuation.resume(returning: .failure(error))
                }
            }
            for id in cancels { finish(id, .failure(.cancelled)) }

            var running: Int32 = 0
            _ = curl_multi_perform(multi.raw, &running)
            var finishedAny = false
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi.raw, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                    let id = ids[handle], let transfer = active[id]
                else { continue }
                let code = cv_curl_msg_result(message)
                finish(id, transfer.easy.result(code, activeTime: transfer.started.duration(to: .now)))
                finishedAny = true
            }
            if finishedAny { continue }  // freed slots: start waiting hops before sleeping
            _ = curl_multi_poll(multi.raw, nil, 0, 1000, nil)
        }

        // Shutting down: everything still waiting or running ends as cancelled.
        for id in Array(active.keys) { finish(id, .failure(.cancelled)) }
        let leftovers = shared.withLock { shared -> [Job] in
            var jobs: [Job] = []
            while let job = shared.popPending() { jobs.append(job) }
            shared.multiFreed = true
            curl_multi_cleanup(multi.raw)
            return jobs
        }
        for job in leftovers { job.continuation.resume(returning: .failure(.cancelled)) }
    }
}
