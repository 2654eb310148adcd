public import Foundation
public import IML

extension Vault {
    static func secretsLocation(_ id: UUID) -> SealLocation {
        SealLocation(table: "connections", id: id, field: "sealed")
    }

    /// Seals a connection's secrets as `data JSON` + newline + `parameters JSON`: compact JSON never holds a raw
    /// newline, so a reader of the data collection (the runner's hot path) parses only the first part.
    func sealSecrets(_ secrets: ConnectionSecrets, id: UUID, in database: Database) throws -> [UInt8] {
        var plaintext = Array(Value.object(secrets.data).compactJSON().utf8)
        plaintext.append(UInt8(ascii: "\n"))
        plaintext.append(contentsOf: Value.object(secrets.parameters).compactJSON().utf8)
        defer { Sodium.wipe(&plaintext) }
        return try seal(plaintext, at: Self.secretsLocation(id), in: database)
    }

    /// Opens a connection's secrets: the data collection, and the parameters when `withParameters`.
    func openSecrets(
        _ sealed: UnsafeRawBufferPointer, id: UUID, withParameters: Bool, in database: Database
    ) throws -> ConnectionSecrets {
        let location = Self.secretsLocation(id)
        return try keys.open(sealed, at: location, reload: database.wrappedDataKeys) { plaintext in
            let newline = plaintext.baseAddress.flatMap { memchr($0, 0x0A, plaintext.count) }
                .map { plaintext.baseAddress!.distance(to: UnsafeRawPointer($0)) } ?? plaintext.endIndex
            let data = try Self.object(UnsafeRawBufferPointer(rebasing: plaintext[..<newline]), at: location)
            guard withParameters else { return ConnectionSecrets(parameters: Object(), data: data) }
            guard newline < plaintext.endIndex else {
                throw VaultError.corruptVault("sealed value at \(location) lacks its parameters")
            }
            let parameters = try Self.object(UnsafeRawBufferPointer(rebasing: plaintext[(newline + 1)...]), at: location)
            return ConnectionSecrets(parameters: parameters, data: data)
        }
    }

    // MARK: Creating

    /// Stores a new connection: verified (its run goes to history) or `unverified`.
    public func createConnection(_ new: NewConnection) throws -> Connection {
        try createConnections([new])[0]
    }

    /// Stores many new connections in one transaction (one fsync for the batch): all of them or none.
    public func createConnections(_ batch: [NewConnection]) throws -> [Connection] {
        let now = Date()
        let ids = batch.map { _ in UUID() }
        return try write { database in
            try zip(ids, batch).map { id, new in try insert(new, id: id, now: now, in: database) }
        }
    }

    private func insert(_ new: NewConnection, id: UUID, now: Date, in database: Database) throws -> Connection {
        guard let version = try database.typeVersion(named: new.typeName) else {
            throw VaultError.typeNotFound(new.typeName)
        }
        var connection = Connection(
            id: id, typeName: new.typeName, name: new.name, status: .unverified, metadata: nil, uid: nil,
            specVersion: version, verifiedAt: nil, expiresAt: nil, createdAt: now, updatedAt: now,
            lastOutcome: nil, lastError: nil)
        let secrets: ConnectionSecrets
        switch new.storage {
        case .unverified(let parameters):
            secrets = ConnectionSecrets(parameters: parameters, data: parameters)
        case .verified(let run, let state):
            guard run.outcome == .valid else {
                throw VaultError.invalidInput("only a valid verification creates a connection (got \(run.outcome.rawValue))")
            }
            connection.apply(state, run: run)
            secrets = ConnectionSecrets(parameters: state.parameters, data: state.data)
        }
        try database.insertConnection(connection, sealed: try sealSecrets(secrets, id: id, in: database))
        if case .verified(let run, _) = new.storage { try database.insertHistory(run, connectionID: id) }
        return try stored(id, in: database)
    }

    // MARK: Reading

    /// The connection with that id.
    public func connection(_ id: UUID) throws -> Connection {
        guard let connection = try read({ try $0.connection(id: id) }) else {
            throw VaultError.connectionNotFound(id.storedText)
        }
        return connection
    }

    /// Connections matching `filter`, ordered by id. Decrypts nothing.
    public func connections(_ filter: ConnectionFilter = .all) throws -> [Connection] {
        try read { try $0.connections(filter) }
    }

    /// Connections whose remote account id is `uid` (optionally of one type). Decrypts nothing.
    public func connections(uid: String, typeName: String? = nil) throws -> [Connection] {
        try connections(ConnectionFilter(typeName: typeName, uid: uid))
    }

    /// The ids that start with `prefix` (case-insensitive), at most `limit` of them, in order.
    public func connectionIDs(withPrefix prefix: String, limit: Int = 10) throws -> [UUID] {
        let prefix = prefix.lowercased()
        guard prefix.unicodeScalars.allSatisfy({ $0 == "-" || $0.properties.isASCIIHexDigit }) else { return [] }
        return try read { try $0.connectionIDs(prefix: prefix, limit: limit) }.compactMap { UUID(storedText: $0) }
    }

    /// A connection's decrypted data collection: what runners' modules see as `connection`.
    ///
    /// This is the runner's hot path: one indexed lookup and one decryption.
    public func data(of id: UUID) throws -> Object {
        try secrets(of: id, withParameters: false).data
    }

    /// A connection's decrypted parameters and data collection.
    public func secrets(of id: UUID) throws -> ConnectionSecrets {
        try secrets(of: id, withParameters: true)
    }

    private func secrets(of id: UUID, withParameters: Bool) throws -> ConnectionSecrets {
        try access { database in  // one statement: no transaction needed
            try database.withSealedSecrets(id: id) { sealed in
                guard let sealed else { throw VaultError.connectionNotFound(id.storedText) }
                return try openSecrets(sealed, id: id, withParameters: withParameters, in: database)
            }
        }
    }

    /// A connection's runs, newest first (the newest `limit` when given).
    public func history(of id: UUID, limit: Int? = nil) throws -> [HistoryEntry] {
        try read { database in
            guard try database.connection(id: id) != nil else { throw VaultError.connectionNotFound(id.storedText) }
            return try database.history(connectionID: id, limit: limit)
        }
    }

    // MARK: Changing

    /// Gives a connection a new name.
    public func rename(_ id: UUID, to name: String) throws {
        let now = Date()
        try write { database in
            guard let stored = try database.connection(id: id) else {
                throw VaultError.connectionNotFound(id.storedText)
            }
            var renamed = stored
            renamed.name = name
            renamed.updatedAt = now
            try database.updateConnection(from: stored, to: renamed, sealed: nil)
        }
    }

    /// Deletes a connection, its sealed secrets and its history.
    public func remove(_ id: UUID) throws {
        try write { database in
            guard try database.deleteConnection(id: id) else { throw VaultError.connectionNotFound(id.storedText) }
        }
    }

    /// Records a verification run of a stored connection (connection-spec §8) and returns it as stored.
    ///
    /// `valid` stores the verified state, unless its uid differs from the stored one: then the run is recorded
    /// as `invalid` ("the account changed") and nothing else changes. `invalid` and `needs-input` set the
    /// status and keep the stored data; `unreachable` leaves the status as it was. Every run appends history.
    @discardableResult
    public func record(_ result: RunResult, for id: UUID) throws -> Connection {
        try record([(id, result)])[0]
    }

    /// Records many runs in one transaction (one fsync for the batch), in order.
    public func record(_ results: [(id: UUID, result: RunResult)]) throws -> [Connection] {
        try record(results.map { RunRecord(id: $0.id, result: $0.result, sealedBefore: nil) })
    }

    /// Records runs in one transaction; a valid run that changed nothing keeps its sealed secrets as they are.
    func record(_ records: [RunRecord]) throws -> [Connection] {
        try write { database in
            try records.map { record in
                guard let connection = try self.record(record, in: database) else {
                    throw VaultError.connectionNotFound(record.id.storedText)
                }
                return connection
            }
        }
    }

    /// Records one run, inside the caller's write transaction; nil when the connection is no longer there.
    func record(_ record: RunRecord, in database: Database) throws -> Connection? {
        let id = record.id
        if let loaded = record.loaded {
            // The row is still the version the run loaded unless another write came between: then the run applies to
            // the connection as loaded, the sealed secrets it started from are still the stored ones, and one
            // conditional UPDATE records it without reading the row again.
            let (connection, run, sealed) = try applying(
                record, to: loaded.connection, sealedUnchanged: record.sealedBefore != nil, in: database)
            if try database.updateConnection(
                from: loaded.connection, to: connection, sealed: sealed, ifVersion: loaded.version)
            {
                try database.insertHistory(run, connectionID: id)
                return connection
            }
        }
        guard let (stored, sealedUnchanged) = try database.connection(id: id, sealedStillEquals: record.sealedBefore)
        else { return nil }
        let (connection, run, sealed) = try applying(record, to: stored, sealedUnchanged: sealedUnchanged, in: database)
        try database.updateConnection(from: stored, to: connection, sealed: sealed)
        try database.insertHistory(run, connectionID: id)
        return connection
    }

    /// The connection, history entry and (when they must be sealed again) secrets that recording `record` onto
    /// `stored` writes.
    private func applying(_ record: RunRecord, to stored: Connection, sealedUnchanged: Bool, in database: Database)
        throws -> (connection: Connection, run: HistoryEntry, sealed: [UInt8]?)
    {
        var connection = stored
        var run = record.result.run
        connection.updatedAt = run.at
        var sealed: [UInt8]?
        if run.outcome == .valid {
            guard let state = record.result.verified else {
                throw VaultError.invalidInput("a valid run must carry the verified state to store")
            }
            if let storedUID = connection.uid, let new = state.uid, storedUID != new {
                run.outcome = .invalid
                run.error = Self.accountChangedMessage
            } else {
                connection.apply(state, run: run)
                if !sealedUnchanged {
                    let secrets = ConnectionSecrets(parameters: state.parameters, data: state.data)
                    sealed = try sealSecrets(secrets, id: record.id, in: database)
                }
            }
        } else if let status = run.outcome.status {
            connection.status = status
        }
        connection.lastOutcome = run.outcome
        connection.lastError = run.error
        connection.roundTimestampsToStoredPrecision()
        return (connection, run, sealed)
    }

    /// The connection as stored (timestamps at the stored millisecond precision).
    private func stored(_ id: UUID, in database: Database) throws -> Connection {
        guard let connection = try database.connection(id: id) else { throw VaultError.connectionNotFound(id.storedText) }
        return connection
    }

    /// The message of a run refused because it reached another account.
    public static let accountChangedMessage =
        "the verification reached a different account (uid changed); the stored connection was kept"
}

/// One run to record: `sealedBefore` is the sealed secrets the run started from when the run's verified state
/// equals them (nothing to seal again as long as the stored bytes are still those), else nil; `loaded` is the
/// connection and row version the run started from, when it was loaded from the vault.
struct RunRecord: Sendable {
    var id: UUID
    var result: RunResult
    var sealedBefore: [UInt8]?
    var loaded: (connection: Connection, version: Int64)? = nil
}

extension Connection {
    /// The timestamps as the database stores them (whole milliseconds), so a connection built in memory equals
    /// the same connection read back.
    mutating func roundTimestampsToStoredPrecision() {
        verifiedAt = verifiedAt.map { Date(storedMilliseconds: $0.storedMilliseconds) }
        expiresAt = expiresAt.map { Date(storedMilliseconds: $0.storedMilliseconds) }
        createdAt = Date(storedMilliseconds: createdAt.storedMilliseconds)
        updatedAt = Date(storedMilliseconds: updatedAt.storedMilliseconds)
    }

    /// Applies a valid run's state to the plain columns.
    mutating func apply(_ state: VerifiedState, run: HistoryEntry) {
        status = .valid
        metadata = state.metadata
        uid = state.uid ?? uid
        expiresAt = state.expiresAt
        verifiedAt = run.at
        specVersion = run.specVersion
        lastOutcome = .valid
        lastError = nil
    }
}
