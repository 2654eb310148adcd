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
        let reader = try RevalidationReader(path: path, busyTimeout: options.busyTimeout)
        return try await revalidate(
            ids, reader: reader, cache: SpecCache(), firstPage: nil, concurrency: concurrency, executor: executor,
            progress: progress, onEach: onEach)
    }

    /// Makes a revalidation of `ids` ready on the calling thread, blocking it: opens the vault's second connection
    /// and loads the first page of connections (their secrets opened, their types' flows compiled).
    ///
    /// ``revalidate(_:concurrency:executor:progress:onEach:)`` does this in its first tasks; a program with a thread
    /// to spare before it starts any task (`connvault revalidate`, on the main thread while libcurl loads) does it
    /// first, so that the runs start as soon as HTTP is ready. Run it with
    /// ``revalidate(_:concurrency:executor:progress:onEach:)-(PreparedRevalidation,_,_,_,_)``.
    public func prepareRevalidation(_ ids: [UUID]) throws -> PreparedRevalidation {
        let reader = try RevalidationReader(path: path, busyTimeout: options.busyTimeout)
        let cache = SpecCache()
        let page = ids.prefix(RevalidationPipeline.pageSize)
        let firstPage = page.isEmpty ? nil : try reader.readHere { [self] database in
            try prepareRuns(page, cache: cache, in: database)
        }
        return PreparedRevalidation(path: path, ids: ids, reader: reader, cache: cache, firstPage: firstPage)
    }

    /// Runs a revalidation that ``prepareRevalidation(_:)`` made ready, as
    /// ``revalidate(_:concurrency:executor:progress:onEach:)`` runs one.
    @discardableResult
    public func revalidate(
        _ prepared: PreparedRevalidation, concurrency: Int = 8, executor: Executor,
        progress: (@Sendable (RevalidationProgress) -> Void)? = nil,
        onEach: @Sendable (RevalidationResult) throws -> Void
    ) async throws -> RevalidationProgress {
        precondition(prepared.path == path, "a prepared revalidation runs on the vault that prepared it")
        precondition(!prepared.used.exchange(true, ordering: .relaxed), "a prepared revalidation runs once")
        return try await revalidate(
            prepared.ids, reader: prepared.reader, cache: prepared.cache, firstPage: prepared.firstPage,
            concurrency: concurrency, executor: executor, progress: progress, onEach: onEach)
    }

    private func revalidate(
        _ ids: [UUID], reader: RevalidationReader, cache: SpecCache, firstPage: PreparedPage?, concurrency: Int,
        executor: Executor, progress: (@Sendable (RevalidationProgress) -> Void)?,
        onEach: @Sendable (RevalidationResult) throws -> Void
    ) async throws -> RevalidationProgress {
        // Its connection closes with the revalidation: a vault closed right after it is then the last connection
        // to the file in this process, and copies the WAL in and deletes it.
        defer { reader.close() }
        var pipeline = RevalidationPipeline(ids: ids, concurrency: max(1, concurrency))
        if let firstPage {
            let page = pipeline.nextPageToLoad()
            precondition(page?.count == firstPage.ids, "a prepared revalidation holds its first page")
            pipeline.loaded(firstPage.runs, removed: firstPage.removed)
        }
        // One driver loop: loading the next page and recording a batch are child tasks like the runs, so neither
        // a page read nor a commit's fsync holds up starting runs.
        try await withThrowingTaskGroup(of: PipelineEvent.self) { group in
            func schedule() {
                while let prepared = pipeline.nextToStart() {
                    group.addTask { [self] in .finished(await run(prepared, executor: executor)) }
                }
                if let page = pipeline.nextPageToLoad() {
                    group.addTask { [self] in
                        let loaded = try await reader.read { [self] database in
                            try prepareRuns(page, cache: cache, in: database)
                        }
                        return .loaded(loaded.runs, removed: loaded.removed)
                    }
                }
                if let batch = pipeline.nextBatchToRecord() {
                    group.addTask { [self] in
                        .recorded(
                            batch.runs, try await offPool { try self.record(batch) }, checkpointAfter: batch.isTail)
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
                case .recorded(let batch, let stored, let checkpointAfter):
                    if checkpointAfter {
                        group.addTask { await reader.copyWALIntoFile() ; return .checkpointed }
                    }
                    for (finished, connection) in zip(batch, stored) {
                        pipeline.recorded(
                            connection.map { RevalidationResult(id: finished.record.id, run: finished.run, connection: $0) },
                            of: finished)
                    }
                    while let result = pipeline.nextInOrder() { try onEach(result) }
                case .checkpointed:
                    break
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
    private func record(_ batch: RevalidationPipeline.Batch) throws -> [Connection?] {
        try write { database in
            try batch.runs.map { try record($0.record, in: database) }
        }
    }

    /// Loads a page of connections with their secrets, and their types' specs and common data, in one read
    /// transaction of `database`; also returns the positions of the ids no longer in the vault (removed since they
    /// were picked).
    private func prepareRuns(_ ids: ArraySlice<UUID>, cache: SpecCache, in database: Database) throws -> PreparedPage {
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
        return PreparedPage(ids: ids.count, runs: runs, removed: removed)
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

/// A revalidation that ``Vault/prepareRevalidation(_:)`` made ready: its reader open and its first page loaded.
///
/// It runs once, on the vault that made it.
public final class PreparedRevalidation: Sendable {
    let path: String
    let ids: [UUID]
    let reader: RevalidationReader
    let cache: SpecCache
    let firstPage: PreparedPage?
    let used = Atomic<Bool>(false)

    init(path: String, ids: [UUID], reader: RevalidationReader, cache: SpecCache, firstPage: PreparedPage?) {
        self.path = path
        self.ids = ids
        self.reader = reader
        self.cache = cache
        self.firstPage = firstPage
    }
}

/// A page of connections loaded and ready to run.
struct PreparedPage: Sendable {
    /// How many ids the page was read for.
    let ids: Int
    let runs: [PreparedRun]
    /// The positions of the ids no longer in the vault.
    let removed: [Int]
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
