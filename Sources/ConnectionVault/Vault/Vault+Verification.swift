public import Foundation
public import IML

/// The result of adding a connection: stored, or refused with the verification's result.
public struct AddResult: Sendable {
    /// The stored connection; nil when the verification did not end `valid` (nothing was stored).
    public var connection: Connection?
    /// The verification run; nil for `--no-verify`.
    public var run: FlowResult?
}

extension Vault {
    /// The checked spec of a stored type.
    public func spec(ofType name: String) throws -> ConnectionSpec {
        try spec(of: type(named: name))
    }

    /// The checked spec of a type already read.
    func spec(of type: ConnectionType) throws -> ConnectionSpec {
        try ConnectionSpec(stored: type.spec, name: type.name, label: type.label)
    }

    /// Validates the parameters, verifies them (unless `verify` is false) and stores the connection only when the
    /// verification ends `valid`. Throws ``ParameterError`` before any request when the parameters are refused.
    public func addConnection(
        typeName: String, name: String?, parameters given: Object, verify: Bool = true, executor: Executor
    ) async throws -> AddResult {
        let type = try await offPool { [self] in try self.type(named: typeName) }
        let spec = try spec(of: type)
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
