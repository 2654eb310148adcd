import Synchronization
public import Foundation
import IML

/// One connection's revalidation, as `revalidate` reports it.
public struct RevalidationResult: Sendable {
    public var id: UUID
    public var run: FlowResult
    /// The connection as stored after the run.
    public var connection: Connection
    /// The outcome recorded (a `valid` run that reached another account is recorded `invalid`).
    public var outcome: Outcome { connection.lastOutcome ?? run.outcome }
}

/// Counts reported while a revalidation runs, and when it ends.
public struct RevalidationProgress: Sendable {
    /// Runs finished (recorded, or about to be).
    public var done = 0
    /// Connections asked for.
    public var total: Int
    /// Finished runs by the outcome of the run.
    public var counts: [Outcome: Int] = [:]
}

extension Vault {
    /// Revalidates connections concurrently and returns every result, in the order of `ids`.
    ///
    /// Holds every result until the end; ``revalidate(_:concurrency:executor:progress:onEach:)`` hands them over
    /// one by one instead, in constant memory. Cancelling the calling task abandons the runs in flight without
    /// recording them; every run that finished before is recorded and returned.
    public func revalidate(
        _ ids: [UUID], concurrency: Int = 8, executor: Executor,
        progress: (@Sendable (RevalidationProgress) -> Void)? = nil
    ) async throws -> [RevalidationResult] {
        let results = Mutex<[RevalidationResult]>([])
        _ = try await revalidate(ids, concurrency: concurrency, executor: executor, progress: progress) { result in
            results.withLock { $0.append(result) }
        }
        return results.withLock { $0 }
    }

    /// Revalidates connections concurrently, calling `onEach` with each result once it is recorded, in the order
    /// of `ids`; returns the final counts.
    ///
    /// At most `concurrency` flows run at once. Connections are loaded in pages and results written in
    /// transactions of up to 64, so memory stays flat however many ids there are: runs never get more than
    /// a window of `max(4 × concurrency, 256)` connections ahead of the oldest result not yet handed over.
    /// Cancelling the calling task abandons the runs in flight without recording them; every run that finished
    /// before is recorded and handed over (in order, skipping the abandoned ones). An error thrown by `onEach`
    /// stops the revalidation the same way and is rethrown.
    @discardableResult
    public func revalidate(
        _ ids: [UUID], concurrency: Int = 8, executor: Executor,
        progress: (@Sendable (RevalidationProgress) -> Void)? = nil,
        onEach: @Sendable (RevalidationResult) throws -> Void
    ) async throws -> RevalidationProgress {
        var pipeline = RevalidationPipeline(ids: ids, concurrency: max(1, concurrency))
        let cache = SpecCache()
        try await withThrowingTaskGroup(of: FinishedRun?.self) { group in
            func startRuns() async throws {
                while let index = pipeline.nextToStart() {
                    if pipeline.loaded.isEmpty {
                        let page = pipeline.nextPage()
                        pipeline.loaded = try await offPool { [self] in try self.prepareRuns(page, cache: cache) }
                    }
                    let prepared = pipeline.loaded.removeFirst()
                    pipeline.started(index)
                    group.addTask { [self] in await run(prepared, index: index, executor: executor) }
                }
            }
            func flush() async throws {
                let batch = pipeline.takeFinished()
                guard !batch.isEmpty else { return }
                let stored = try await offPool { [self] in try self.record(batch.map(\.record)) }
                for (finished, connection) in zip(batch, stored) {
                    pipeline.recorded(
                        RevalidationResult(id: finished.record.id, run: finished.run, connection: connection),
                        index: finished.index)
                }
                while let result = pipeline.nextInOrder() { try onEach(result) }
            }

            try await startRuns()
            while let finished = try await group.next() {
                pipeline.inFlight -= 1
                if Task.isCancelled { break }
                guard let finished else { continue }
                pipeline.finished(finished)
                progress?(pipeline.progress)
                try await startRuns()
                if pipeline.shouldFlush { try await flush() }
                try await startRuns()
            }
            group.cancelAll()
            try await flush()
        }
        for result in pipeline.remainingInOrder() { try onEach(result) }
        return pipeline.progress
    }

    /// Loads a page of connections with their secrets, and their types' specs and common data, in one hop.
    private func prepareRuns(_ ids: ArraySlice<UUID>, cache: SpecCache) throws -> [PreparedRun] {
        let rows = try read { database in
            try ids.map { id in
                guard let (connection, sealed) = try database.connectionWithSealed(id: id) else {
                    throw VaultError.connectionNotFound(id.storedText)
                }
                let secrets = try sealed.withUnsafeBytes {
                    try openSecrets($0, id: id, withParameters: true, in: database)
                }
                return (connection, secrets, sealed)
            }
        }
        return try rows.map { connection, secrets, sealed in
            let (spec, type, common) = try cache.lookup(connection.typeName, in: self)
            return PreparedRun(
                id: connection.id, secrets: secrets, sealed: sealed, spec: spec, specVersion: type.version,
                common: common)
        }
    }

    /// Runs one prepared flow; nil when the run was abandoned by cancellation.
    private func run(_ prepared: PreparedRun, index: Int, executor: Executor) async -> FinishedRun? {
        let started = Date()
        let secrets = prepared.secrets
        let run = await executor.run(
            prepared.spec, parameters: secrets.parameters, common: prepared.common, data: secrets.data, isStored: true)
        if Task.isCancelled { return nil }
        let unchanged = run.verified.map { $0.data == secrets.data && $0.parameters == secrets.parameters } ?? false
        let result = RunResult(run: run.historyEntry(at: started, specVersion: prepared.specVersion), verified: run.verified)
        return FinishedRun(
            index: index, record: RunRecord(id: prepared.id, result: result, sealedBefore: unchanged ? prepared.sealed : nil),
            run: run)
    }
}

/// A connection ready to run: its secrets as loaded (and their sealed bytes), and its type's spec and common data.
private struct PreparedRun: Sendable {
    var id: UUID
    var secrets: ConnectionSecrets
    var sealed: [UInt8]
    var spec: ConnectionSpec
    var specVersion: Int
    var common: Object
}

/// A run that finished, waiting to be recorded.
private struct FinishedRun: Sendable {
    var index: Int
    var record: RunRecord
    var run: FlowResult
}

/// The bookkeeping of one revalidation: which ids are loaded, running, finished, recorded and handed over.
///
/// Results are recorded in completion order, in batches, and handed over in the order of the ids; runs may not
/// start more than `window` ids ahead of the next one to hand over, which bounds what waits in memory.
private struct RevalidationPipeline {
    static let pageSize = 64
    static let batchSize = 64

    let ids: [UUID]
    let concurrency: Int
    let window: Int
    var loaded: [PreparedRun] = []
    var inFlight = 0
    var progress: RevalidationProgress
    private var nextLoad = 0
    private var nextStart = 0
    private var finishedRuns: [FinishedRun] = []
    private var ready: [Int: RevalidationResult] = [:]
    private var nextToHandOver = 0

    init(ids: [UUID], concurrency: Int) {
        self.ids = ids
        self.concurrency = concurrency
        window = max(4 * concurrency, 256)
        progress = RevalidationProgress(total: ids.count)
    }

    /// The index of the next id to run, when a run may start now.
    func nextToStart() -> Int? {
        guard inFlight < concurrency, nextStart < ids.count, nextStart < nextToHandOver + window else { return nil }
        return nextStart
    }

    /// The next page of ids to load.
    mutating func nextPage() -> ArraySlice<UUID> {
        let page = ids[nextLoad..<min(nextLoad + Self.pageSize, ids.count)]
        nextLoad = page.endIndex
        return page
    }

    mutating func started(_ index: Int) {
        precondition(index == nextStart, "runs start in the order of the ids")
        nextStart += 1
        inFlight += 1
    }

    mutating func finished(_ run: FinishedRun) {
        finishedRuns.append(run)
        progress.done += 1
        progress.counts[run.run.outcome, default: 0] += 1
    }

    /// Whether to record now: a full batch, nothing left running, or the window closed until results go out.
    var shouldFlush: Bool {
        finishedRuns.count >= Self.batchSize || inFlight == 0 || (inFlight < concurrency && nextStart < ids.count)
    }

    mutating func takeFinished() -> [FinishedRun] {
        defer { finishedRuns.removeAll(keepingCapacity: true) }
        return finishedRuns
    }

    mutating func recorded(_ result: RevalidationResult, index: Int) {
        ready[index] = result
    }

    /// The next result in the order of the ids, when it is recorded.
    mutating func nextInOrder() -> RevalidationResult? {
        guard let result = ready.removeValue(forKey: nextToHandOver) else { return nil }
        nextToHandOver += 1
        return result
    }

    /// What is recorded but was held behind an abandoned run, in order.
    mutating func remainingInOrder() -> [RevalidationResult] {
        defer { ready.removeAll() }
        return ready.keys.sorted().compactMap { ready[$0] }
    }
}

/// Specs, types and common data loaded once per revalidation.
final class SpecCache: Sendable {
    private let entries = Mutex<[String: (ConnectionSpec, ConnectionType, Object)]>([:])

    func lookup(_ name: String, in vault: Vault) throws -> (ConnectionSpec, ConnectionType, Object) {
        if let cached = entries.withLock({ $0[name] }) { return cached }
        let entry = (try vault.spec(ofType: name), try vault.type(named: name), try vault.commonData(forType: name))
        entries.withLock { $0[name] = entry }
        return entry
    }
}
