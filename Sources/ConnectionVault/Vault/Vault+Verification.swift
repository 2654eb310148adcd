import Synchronization
public import Foundation
public import IML

/// The result of adding a connection: stored, or refused with the verification's result.
public struct AddResult: Sendable {
    /// The stored connection; nil when the verification did not end `valid` (nothing was stored).
    public var connection: Connection?
    /// The verification run; nil for `--no-verify`.
    public var run: FlowResult?
}

/// One connection's revalidation, as `revalidate` reports it.
public struct RevalidationResult: Sendable {
    public var id: UUID
    public var run: FlowResult
    /// The connection as stored after the run.
    public var connection: Connection
    /// The outcome recorded (a `valid` run that reached another account is recorded `invalid`).
    public var outcome: Outcome { connection.lastOutcome ?? run.outcome }
}

/// Counts reported while a revalidation runs.
public struct RevalidationProgress: Sendable {
    public var done = 0
    public var total: Int
    public var counts: [Outcome: Int] = [:]
}

extension Vault {
    /// The checked spec of a stored type.
    public func spec(ofType name: String) throws -> ConnectionSpec {
        let type = try type(named: name)
        return try ConnectionSpec(stored: type.spec, name: type.name, label: type.label)
    }

    /// Validates the parameters, verifies them (unless `verify` is false) and stores the connection only when the
    /// verification ends `valid`. Throws ``ParameterError`` before any request when the parameters are refused.
    public func addConnection(
        typeName: String, name: String?, parameters given: Object, verify: Bool = true, executor: Executor
    ) async throws -> AddResult {
        let spec = try await offPool { [self] in try self.spec(ofType: typeName) }
        let type = try await offPool { [self] in try self.type(named: typeName) }
        let parameters = try ParameterValidator.validate(given, against: spec)
        guard verify else {
            let new = NewConnection(typeName: typeName, name: name ?? type.label, storage: .unverified(parameters: parameters))
            let connection = try await offPool { [self] in try self.createConnection(new) }
            return AddResult(connection: connection, run: nil)
        }
        let common = try await offPool { [self] in try self.commonData(forType: typeName) }
        let started = Date()
        let result = await executor.run(spec, parameters: parameters, common: common)
        guard result.outcome == .valid, let state = result.verified else { return AddResult(connection: nil, run: result) }
        let new = NewConnection(
            typeName: typeName, name: name ?? state.metadata?.value ?? type.label,
            storage: .verified(result.historyEntry(at: started, specVersion: type.version), state))
        let connection = try await offPool { [self] in try self.createConnection(new) }
        return AddResult(connection: connection, run: result)
    }

    /// Verifies a connection with its stored parameters overlaid by `parameters`, and stores them only on `valid`.
    /// A different uid is refused (recorded `invalid`, nothing else changes). Renames it too when `name` is given
    /// and the run is valid.
    public func updateConnection(
        _ id: UUID, parameters given: Object, name: String? = nil, executor: Executor
    ) async throws -> RevalidationResult {
        let secrets = try await offPool { [self] in try self.secrets(of: id) }
        let spec = try await offPool { [self] in try self.spec(ofType: self.connection(id).typeName) }
        let merged = try ParameterValidator.validateUpdate(given, stored: secrets.parameters, against: spec)
        var result = try await verify(id, spec: spec, parameters: merged, data: secrets.data, executor: executor)
        if let name, result.connection.lastOutcome == .valid {
            try await offPool { [self] in try self.rename(id, to: name) }
            result.connection.name = name
        }
        return result
    }

    /// Revalidates connections concurrently (at most `concurrency` flows at once), writing results in batches.
    ///
    /// Cancelling the calling task abandons the runs in flight without recording them; every run that finished
    /// before is recorded. Results come back in the order of `ids`.
    public func revalidate(
        _ ids: [UUID], concurrency: Int = 8, executor: Executor,
        progress: (@Sendable (RevalidationProgress) -> Void)? = nil
    ) async throws -> [RevalidationResult] {
        var results: [UUID: RevalidationResult] = [:]
        var pending: [(id: UUID, result: RunResult, run: FlowResult)] = []
        var report = RevalidationProgress(total: ids.count)
        let cache = SpecCache()
        func flush() async throws {
            guard !pending.isEmpty else { return }
            let batch = pending
            pending.removeAll()
            let records = batch.map { (id: $0.id, result: $0.result) }
            let stored = try await offPool { [self] in try self.record(records) }
            for (entry, connection) in zip(batch, stored) {
                results[entry.id] = RevalidationResult(id: entry.id, run: entry.run, connection: connection)
            }
        }
        try await withThrowingTaskGroup(of: (UUID, RunResult, FlowResult)?.self) { group in
            var next = ids.makeIterator()
            func startNext() {
                guard let id = next.next() else { return }
                group.addTask { [self] in try await prepareAndRun(id, executor: executor, cache: cache) }
            }
            for _ in 0..<max(1, concurrency) { startNext() }
            while let finished = try await group.next() {
                if Task.isCancelled { break }
                guard let (id, result, run) = finished else { continue }
                pending.append((id, result, run))
                report.done += 1
                report.counts[run.outcome, default: 0] += 1
                progress?(report)
                if pending.count >= 64 { try await flush() }
                startNext()
            }
            group.cancelAll()
        }
        try await flush()
        return ids.compactMap { results[$0] }
    }

    /// Loads one connection and runs its flow; nil when the run was abandoned by cancellation.
    private func prepareAndRun(_ id: UUID, executor: Executor, cache: SpecCache) async throws
        -> (UUID, RunResult, FlowResult)?
    {
        let connection = try await offPool { [self] in try self.connection(id) }
        let secrets = try await offPool { [self] in try self.secrets(of: id) }
        let (spec, type, common) = try await offPool { [self] in try cache.lookup(connection.typeName, in: self) }
        let started = Date()
        let run = await executor.run(
            spec, parameters: secrets.parameters, common: common, data: secrets.data, isStored: true)
        if Task.isCancelled { return nil }
        return (id, RunResult(run: run.historyEntry(at: started, specVersion: type.version), verified: run.verified), run)
    }

    private func verify(_ id: UUID, spec: ConnectionSpec, parameters: Object, data: Object, executor: Executor)
        async throws -> RevalidationResult
    {
        let type = try await offPool { [self] in try self.type(named: spec.name) }
        let common = try await offPool { [self] in try self.commonData(forType: spec.name) }
        let started = Date()
        let run = await executor.run(spec, parameters: parameters, common: common, data: data, isStored: true)
        let entry = run.historyEntry(at: started, specVersion: type.version)
        let record = RunResult(run: entry, verified: run.verified)
        let connection = try await offPool { [self] in try self.record(record, for: id) }
        return RevalidationResult(id: id, run: run, connection: connection)
    }
}

/// Specs, types and common data loaded once per revalidation batch.
final class SpecCache: Sendable {
    private let entries = Mutex<[String: (ConnectionSpec, ConnectionType, Object)]>([:])

    func lookup(_ name: String, in vault: Vault) throws -> (ConnectionSpec, ConnectionType, Object) {
        if let cached = entries.withLock({ $0[name] }) { return cached }
        let entry = (try vault.spec(ofType: name), try vault.type(named: name), try vault.commonData(forType: name))
        entries.withLock { $0[name] = entry }
        return entry
    }
}
