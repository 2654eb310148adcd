/// A connection's stored status: the last authoritative answer of its service, or `unverified`.
public enum ConnectionStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case valid
    case invalid
    case needsInput = "needs-input"
    case unverified
}

/// How one verification run ended (connection-spec §8). `unreachable` is an outcome, never a status.
public enum Outcome: String, Sendable, Hashable, CaseIterable, Codable {
    case valid
    case invalid
    case unreachable
    case needsInput = "needs-input"

    /// The status this outcome sets, or nil when it leaves the status unchanged (`unreachable`).
    public var status: ConnectionStatus? {
        switch self {
        case .valid: .valid
        case .invalid: .invalid
        case .needsInput: .needsInput
        case .unreachable: nil
        }
    }
}
