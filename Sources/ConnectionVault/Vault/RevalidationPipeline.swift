import Foundation
import IML

/// A stored connection as a revalidation loads it: its plain columns and row version, its secrets and their
/// sealed bytes.
struct LoadedConnection: Sendable {
    var connection: Connection
    var version: Int64
    var secrets: ConnectionSecrets
    var sealed: [UInt8]
}

/// A connection ready to run: the connection as loaded, and its type.
///
/// A class, like ``FinishedRun``: runs move through queues, task results and batches, and each move of a struct
/// this size retained every one of its strings and objects again.
final class PreparedRun: Sendable {
    /// The position of the id in the revalidation's list.
    let index: Int
    let loaded: LoadedConnection
    let type: LoadedType

    init(index: Int, loaded: LoadedConnection, type: LoadedType) {
        self.index = index
        self.loaded = loaded
        self.type = type
    }
}

/// A run that finished, waiting to be recorded.
final class FinishedRun: Sendable {
    let index: Int
    let record: RunRecord
    let run: FlowResult

    init(index: Int, record: RunRecord, run: FlowResult) {
        self.index = index
        self.record = record
        self.run = run
    }
}

/// What the driver loop of a revalidation waits for.
enum PipelineEvent: Sendable {
    /// A page of connections ready to run, and the positions of ids no longer in the vault.
    case loaded([PreparedRun], removed: [Int])
    case finished(FinishedRun?)
    /// A batch recorded: each connection as stored, nil for one removed while its run went on; and whether the WAL
    /// is to be copied into the file now (after the tail batch, see ``RevalidationPipeline/Batch/isTail``).
    case recorded([FinishedRun], [Connection?], checkpointAfter: Bool)
    /// The WAL copied into the file, as far as other processes' readers let it be.
    case checkpointed
}

/// The bookkeeping of one revalidation: which ids are loaded, running, finished, recorded and handed over.
///
/// Pages are loaded one at a time, ahead of the runs; results are recorded in completion order, one batch at
/// a time, and handed over in the order of the ids. Runs may not start more than `window` ids ahead of the next
/// one to hand over, which bounds what waits in memory.
struct RevalidationPipeline {
    static let pageSize = 64
    /// The next page is loaded while fewer than this many pages of loaded runs wait, so runs never wait for a load
    /// (3 pages ahead instead of half a page: `revalidate --all` of 10,000 went from 0.78 to 0.69 s, when loads
    /// still shared the writer's connection).
    static let pagesAhead = 3
    /// Results per transaction: each commit rewrites the pages it touched (the connections' leaves, the history's
    /// last page and index, the interior pages above them) and fsyncs, so fewer, larger commits write less.
    static let batchSize = 256

    let ids: [UUID]
    let concurrency: Int
    let window: Int
    var progress: RevalidationProgress
    /// Set once cancelled: nothing new starts or loads; what finished is still recorded.
    var stopping = false
    private var loadedRuns = FIFOQueue<PreparedRun>()
    private var loading = false
    private var recording = false
    private var inFlight = 0
    private var nextLoad = 0
    private var nextStart = 0
    private var finishedRuns: [FinishedRun] = []
    /// Whether the batch taken once every run had started is out (see ``nextBatchToRecord()``).
    private var tailRecorded = false
    /// Recorded results waiting for their turn; nil marks a connection removed meanwhile (nothing to hand over).
    private var ready: [Int: RevalidationResult?] = [:]
    private var nextToHandOver = 0

    init(ids: [UUID], concurrency: Int) {
        self.ids = ids
        self.concurrency = concurrency
        // Four batches: one being recorded, one filling, and room for two more while a commit waits — for its
        // fsync, the checkpoint every thousand WAL frames (10–40 ms) or another process's write lock. With two,
        // every slow commit stopped all runs: both cores idled 10–15% of a revalidation of 10,000.
        // (Saturating: a concurrency near Int.max means "no bound", not a crash.)
        let (runs, overflow) = concurrency.multipliedReportingOverflow(by: 4)
        window = overflow ? Int.max : max(runs, 4 * Self.batchSize)
        progress = RevalidationProgress(total: ids.count)
    }

    private var windowIsOpen: Bool { nextStart - nextToHandOver < window }

    /// The next connection to run, when one may start now.
    mutating func nextToStart() -> PreparedRun? {
        guard !stopping, inFlight < concurrency, windowIsOpen, let prepared = loadedRuns.popFirst() else { return nil }
        precondition(prepared.index >= nextStart, "runs start in the order of the ids")
        nextStart = prepared.index + 1
        inFlight += 1
        return prepared
    }

    /// The next page of ids to load, when fewer than ``pagesAhead`` pages of loaded runs wait.
    mutating func nextPageToLoad() -> ArraySlice<UUID>? {
        guard !stopping, !loading, nextLoad < ids.count, loadedRuns.count < Self.pagesAhead * Self.pageSize else {
            return nil
        }
        let page = ids[nextLoad..<min(nextLoad + Self.pageSize, ids.count)]
        nextLoad = page.endIndex
        loading = true
        return page
    }

    mutating func loaded(_ runs: [PreparedRun], removed: [Int]) {
        loadedRuns.append(contentsOf: runs)
        loading = false
        for index in removed { markRemoved(index) }
    }

    /// A connection no longer in the vault: counted, and skipped when results are handed over.
    private mutating func markRemoved(_ index: Int) {
        ready[index] = .some(nil)
        progress.removed += 1
    }

    mutating func finished(_ run: FinishedRun?) {
        inFlight -= 1
        guard let run else { return }
        finishedRuns.append(run)
        progress.done += 1
        progress.counts[run.run.outcome, default: 0] += 1
    }

    /// Results to record in one transaction.
    struct Batch {
        let runs: [FinishedRun]
        /// The batch taken once every run had started (see ``nextBatchToRecord()``): after it, the reader's
        /// connection copies the WAL into the file (a PASSIVE checkpoint) while the last runs are in flight and the
        /// last batch is recorded, so that the WAL is left with the last batch only.
        let isTail: Bool
    }

    /// The next results to record, when no batch is being recorded: a full batch; once, when every run has
    /// started, what has finished (the runs still in flight then make the last batch, instead of the whole last
    /// batch waiting for the slowest of them); or what there is once nothing more can run until it is out (the
    /// end, a cancellation, or the window held by a slow run).
    mutating func nextBatchToRecord() -> Batch? {
        guard !recording, !finishedRuns.isEmpty else { return nil }
        let full = finishedRuns.count >= Self.batchSize
        let allStarted = nextLoad == ids.count && !loading && loadedRuns.isEmpty
        let tail = allStarted && !tailRecorded
        let drained = inFlight == 0 && (stopping || allStarted || !windowIsOpen)
        guard full || tail || drained else { return nil }
        if tail { tailRecorded = true }
        let count = min(finishedRuns.count, Self.batchSize)
        defer { finishedRuns.removeFirst(count) }
        recording = true
        return Batch(runs: Array(finishedRuns.prefix(count)), isTail: tail)
    }

    /// A run recorded, or (`result` nil) not: its connection was removed while it ran, so it no longer counts
    /// as done.
    mutating func recorded(_ result: RevalidationResult?, of run: FinishedRun) {
        recording = false
        guard let result else {
            progress.done -= 1
            progress.counts[run.run.outcome, default: 1] -= 1
            if progress.counts[run.run.outcome] == 0 { progress.counts[run.run.outcome] = nil }
            markRemoved(run.index)
            return
        }
        ready[run.index] = result
    }

    /// The next result in the order of the ids, when it is recorded (skipping removed connections).
    mutating func nextInOrder() -> RevalidationResult? {
        while let entry = ready.removeValue(forKey: nextToHandOver) {
            nextToHandOver += 1
            if let result = entry { return result }
        }
        return nil
    }

    /// What is recorded but was held behind an abandoned run, in order.
    mutating func remainingInOrder() -> [RevalidationResult] {
        defer { ready.removeAll() }
        return ready.keys.sorted().compactMap { ready[$0] ?? nil }
    }
}
