public import Foundation

/// A connection's id and name: what picking connections to revalidate needs, without the rest of the row.
public struct ConnectionHeading: Sendable, Hashable {
    public var id: UUID
    public var name: String

    public init(id: UUID, name: String) {
        self.id = id
        self.name = name
    }
}

/// Which connections are due for revalidation: expiring soon, or not verified successfully lately (or ever).
public struct DueRule: Sendable, Hashable {
    /// Connections whose `expires` falls within this many seconds from `now` (or has passed) are due.
    public var expiringWithin: TimeInterval
    /// Connections last verified successfully more than this many seconds before `now` are due.
    public var verifiedOlderThan: TimeInterval
    public var now: Date

    public init(expiringWithin: TimeInterval = 600, verifiedOlderThan: TimeInterval = 86_400, now: Date = Date()) {
        self.expiringWithin = expiringWithin
        self.verifiedOlderThan = verifiedOlderThan
        self.now = now
    }
}

extension Vault {
    /// The ids and names of the connections of `typeName` (every type when nil) that `due` picks (all when nil),
    /// ascending by id. Decrypts nothing, and reads only those two columns.
    public func connectionHeadings(typeName: String? = nil, due: DueRule? = nil) throws -> [ConnectionHeading] {
        let window = due.map {
            (expiringBy: $0.now.addingTimeInterval($0.expiringWithin), verifiedSince: $0.now.addingTimeInterval(-$0.verifiedOlderThan))
        }
        return try read { try $0.connectionHeadings(typeName: typeName, due: window) }
    }
}
