public import Foundation

/// A stored connection as lists show it: everything but its secrets, which stay sealed.
public struct Connection: Sendable, Hashable, Identifiable {
    /// The connection's id, a UUID.
    public let id: UUID
    /// The name of its connection type.
    public var typeName: String
    /// What people call it.
    public var name: String
    public var status: ConnectionStatus
    public var metadata: Metadata?
    /// The remote account's id, as text.
    public var uid: String?
    /// The spec version that last verified it (or stored it, when unverified).
    public var specVersion: Int
    public var verifiedAt: Date?
    public var expiresAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    /// How the most recent run ended, whether or not it changed the status.
    public var lastOutcome: Outcome?
    /// The most recent run's redacted error message, nil when it was valid.
    public var lastError: String?
}

/// One verification run of a stored connection.
public struct HistoryEntry: Sendable, Hashable {
    public var at: Date
    public var specVersion: Int
    public var outcome: Outcome
    /// The HTTP status of the last response received; nil when there was none.
    public var httpStatus: Int?
    public var durationMs: Int
    /// The redacted error message; nil for a valid run.
    public var error: String?

    public init(at: Date, specVersion: Int, outcome: Outcome, httpStatus: Int?, durationMs: Int, error: String?) {
        self.at = at
        self.specVersion = specVersion
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.durationMs = durationMs
        self.error = error
    }
}

/// Which connections a listing returns. Every field left nil matches everything.
public struct ConnectionFilter: Sendable, Hashable {
    public var typeName: String?
    public var status: ConnectionStatus?
    public var uid: String?

    public init(typeName: String? = nil, status: ConnectionStatus? = nil, uid: String? = nil) {
        self.typeName = typeName
        self.status = status
        self.uid = uid
    }

    /// Every connection.
    public static let all = ConnectionFilter()
}
