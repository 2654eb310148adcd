public import Foundation
public import IML

/// What a successful (`valid`) verification produced: the state to store.
public struct VerifiedState: Sendable, Hashable {
    /// The parameters to keep for later runs, minus those deleted after use.
    public var parameters: Object
    /// The rebuilt data collection: parameters merged with `response.data` (connection-spec §2).
    public var data: Object
    public var metadata: Metadata?
    public var uid: String?
    public var expiresAt: Date?

    public init(parameters: Object, data: Object, metadata: Metadata? = nil, uid: String? = nil, expiresAt: Date? = nil) {
        self.parameters = parameters
        self.data = data
        self.metadata = metadata
        self.uid = uid
        self.expiresAt = expiresAt
    }
}

/// The result of one verification run, as the executor hands it to the vault to record.
public struct RunResult: Sendable, Hashable {
    /// The run as history records it.
    public var run: HistoryEntry
    /// What to store; required when `run.outcome` is `valid`, ignored otherwise.
    public var verified: VerifiedState?

    public init(run: HistoryEntry, verified: VerifiedState? = nil) {
        self.run = run
        self.verified = verified
    }
}

/// A connection to create: verified by the caller (the executor), or stored `unverified`.
public struct NewConnection: Sendable, Hashable {
    public var typeName: String
    public var name: String
    /// How it is stored: a `valid` run with its verified state, or ``Storage/unverified(parameters:)``.
    public var storage: Storage

    /// How a new connection is stored.
    public enum Storage: Sendable, Hashable {
        /// After a `valid` verification: the run (recorded in history) and what it produced.
        case verified(HistoryEntry, VerifiedState)
        /// Without verification: status `unverified`, the parameters as the data collection.
        case unverified(parameters: Object)
    }

    public init(typeName: String, name: String, storage: Storage) {
        self.typeName = typeName
        self.name = name
        self.storage = storage
    }
}

/// A connection's decrypted secrets.
public struct ConnectionSecrets: Sendable, Hashable {
    /// The parameters later runs start from.
    public var parameters: Object
    /// The data collection runners see as `connection`.
    public var data: Object
}
