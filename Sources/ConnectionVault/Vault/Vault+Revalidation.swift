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
    /// Connections removed from the vault (by another process) after they were picked: nothing was recorded
    /// for them and no result is handed over.
    public var removed = 0
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
    /// At most `concurrency` flows run at once. Connections are loaded in pages of 64 and results written in
    /// transactions of up to 256, so memory stays flat however many ids there are: runs never get more than
    /// a window of `max(4 × concurrency, 1024)` connections ahead of the oldest result not yet handed over.
    /// Connections (and their types) are loaded through a second connection to the file, so loading never waits
    /// for a commit.
    /// Cancelling the calling task abandons the runs in flight without recording them; every run that finished
    /// before is recorded and handed over (in order, skipping the abandoned ones). An error thrown by `onEach`
    /// stops the revalidation the same way and is rethrown. A connection removed meanwhile (by another process) is
    /// skipped and counted in ``RevalidationProgress/removed``.
    @discardableResult
    public func revalidate(
        _ ids: [UUID], concurrency: Int = 8, executor: Executor,
        progress: (@Sendable (RevalidationProgress) -> Void)? = nil,
        onEach: @Sendable (RevalidationResult) throws -> Void
    ) async throws -> RevalidationProgress {
        var pipeline = RevalidationPipeline(ids: ids, concurrency: max(1, concurrency))
        let cache = SpecCache()
        let reader = try RevalidationReader(path: path, busyTimeout: options.busyTimeout)
        // One driver loop: loading the next page and recording a batch are child tasks like the runs, so neither
        // a page read nor a commit's fsync holds up starting runs.
        try await withThrowingTaskGroup(of: PipelineEvent.self) { group in
            func schedule() {
                while let prepared = pipeline.nextToStart() {
                    group.addTask { [self] in .finished(await run(prepared, executor: executor)) }
                }
                if let page = pipeline.nextPageToLoad() {
                    group.addTask { [self] in
                        let (runs, removed) = try await reader.read { [self] database in
                            try prepareRuns(page, cache: cache, in: database)
                        }
                        return .loaded(runs, removed: removed)
                    }
                }
                if let batch = pipeline.nextBatchToRecord() {
                    group.addTask { [self] in
                        .recorded(batch.runs, try await offPool { try self.record(batch) })
                    }
                }
            }
            schedule()
            while let event = try await group.next() {
                switch event {
                case .loaded(let runs, let removed):
                    pipeline.loaded(runs, removed: removed)
                    while let result = pipeline.nextInOrder() { try onEach(result) }
                case .finished(let run):
                    pipeline.finished(run)
                    if run != nil { progress?(pipeline.progress) }
                case .recorded(let batch, let stored):
                    for (finished, connection) in zip(batch, stored) {
                        pipeline.recorded(
                            connection.map { RevalidationResult(id: finished.record.id, run: finished.run, connection: $0) },
                            of: finished)
                    }
                    while let result = pipeline.nextInOrder() { try onEach(result) }
                }
                if Task.isCancelled && !pipeline.stopping {
                    pipeline.stopping = true
                    group.cancelAll()
                }
                schedule()
            }
        }
        for result in pipeline.remainingInOrder() { try onEach(result) }
        return pipeline.progress
    }

    /// Records a batch of finished runs in one transaction, skipping connections removed since their run started
    /// (nil for those). Each run's record is read in place: copying it retained each of its strings and objects.
    ///
    /// After the tail batch, the WAL is checkpointed (and truncated, when no other process is reading) without
    /// waiting for any lock, while the last runs are in flight: closing the vault at the end then copies only the
    /// last batch's pages and deletes a small WAL. At 1,000 connections that close had copied ~250 pages, synced
    /// the database file and deleted a 1 MB WAL after the last response: 4–5 ms of the run.
    private func record(_ batch: RevalidationPipeline.Batch) throws -> [Connection?] {
        let stored = try write { database in
            try batch.runs.map { try record($0.record, in: database) }
        }
        if batch.isTail {
            // Best effort: whatever a failure here means, the next commit or the close meets it again.
            _ = try? access { try $0.checkpointTruncate(waitingAtMost: 0) }
        }
        return stored
    }

    /// Loads a page of connections with their secrets, and their types' specs and common data, in one read
    /// transaction of `database`; also returns the positions of the ids no longer in the vault (removed since they
    /// were picked).
    private func prepareRuns(
        _ ids: ArraySlice<UUID>, cache: SpecCache, in database: Database
    ) throws -> (runs: [PreparedRun], removed: [Int]) {
        let rows = try runnableRows(ids, in: database).map { index, row in
            guard let (connection, sealed, version) = row else { return (index, nil as LoadedConnection?) }
            let secrets = try sealed.withUnsafeBytes {
                try openSecrets($0, id: connection.id, withParameters: true, in: database)
            }
            let loaded = LoadedConnection(connection: connection, version: version, secrets: secrets, sealed: sealed)
            return (index, loaded)
        }
        var runs: [PreparedRun] = []
        runs.reserveCapacity(rows.count)
        var removed: [Int] = []
        // A page's connections nearly always share one type: looked up once for all of them.
        var last: (name: String, type: LoadedType)?
        for (index, loaded) in rows {
            guard let loaded else {
                removed.append(index)
                continue
            }
            let typeName = loaded.connection.typeName
            let type = try last.flatMap { $0.name == typeName ? $0.type : nil }
                ?? cache.lookup(typeName, in: self, through: database)
            last = (typeName, type)
            runs.append(PreparedRun(index: index, loaded: loaded, type: type))
        }
        return (runs, removed)
    }

    /// The rows of a page's ids, by position (nil for an id no longer in the vault).
    ///
    /// A page whose ids ascend — every page of `--all` and `--due` — is read as one range of the table, up to
    /// twice as many rows as ids (``Database/runnableConnections(ascending:limit:)``); ids the range did not reach,
    /// and every id of a page in another order, are looked up one by one.
    private func runnableRows(_ ids: ArraySlice<UUID>, in database: Database) throws
        -> [(index: Int, row: Database.RunnableRow?)]
    {
        var result: [(index: Int, row: Database.RunnableRow?)] = []
        var next = ids.startIndex
        if ids.count > 1, zip(ids, ids.dropFirst()).allSatisfy({ $0.sortsBefore($1) }) {
            (result, next) = try database.runnableConnections(ascending: ids, limit: 2 * ids.count)
        }
        result.reserveCapacity(ids.count)
        for index in next..<ids.endIndex {
            result.append((index, try database.runnableConnection(id: ids[index])))
        }
        return result
    }

    /// Runs one prepared flow; nil when the run was abandoned by cancellation.
    private func run(_ prepared: PreparedRun, executor: Executor) async -> FinishedRun? {
        let started = Date()
        let secrets = prepared.loaded.secrets
        let run = await executor.run(
            prepared.type.spec, compiled: prepared.type.flow, parameters: secrets.parameters,
            common: prepared.type.common, data: secrets.data, isStored: true)
        if Task.isCancelled { return nil }
        let unchanged = run.verified.map { $0.data == secrets.data && $0.parameters == secrets.parameters } ?? false
        let result = RunResult(
            run: run.historyEntry(at: started, specVersion: prepared.type.version), verified: run.verified)
        let loaded = prepared.loaded
        let record = RunRecord(
            id: loaded.connection.id, result: result, sealedBefore: unchanged ? loaded.sealed : nil,
            loaded: (loaded.connection, loaded.version))
        return FinishedRun(index: prepared.index, record: record, run: run)
    }
}

/// A connection type as a revalidation runs it: its spec, compiled flow, version and common data, loaded once and
/// shared by every run of the type (a reference: each run's copy is one retain).
final class LoadedType: Sendable {
    let spec: ConnectionSpec
    /// The spec's flow, compiled once; nil when it does not compile (each run then reports why).
    let flow: CompiledFlow?
    let version: Int
    let common: Object

    init(spec: ConnectionSpec, version: Int, common: Object) {
        self.spec = spec
        flow = try? CompiledFlow(spec)
        self.version = version
        self.common = common
    }
}

/// Specs, types and common data loaded once per revalidation.
final class SpecCache: Sendable {
    private let entries = Mutex<[String: LoadedType]>([:])

    /// The type called `name`, read through `database` (the revalidation's reader, inside its transaction) the first
    /// time it is asked for.
    func lookup(_ name: String, in vault: Vault, through database: Database) throws -> LoadedType {
        if let cached = entries.withLock({ $0[name] }) { return cached }
        let type = try vault.type(named: name, in: database)
        let entry = LoadedType(
            spec: try vault.spec(of: type), version: type.version,
            common: try vault.commonData(forType: name, in: database))
        entries.withLock { $0[name] = entry }
        return entry
    }
}
