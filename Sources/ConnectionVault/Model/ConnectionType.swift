public import Foundation
public import IML

/// A connection type as stored: its name, label, spec (without common data) and version.
public struct ConnectionType: Sendable, Hashable {
    /// The stable identifier, e.g. `acme-apikey`.
    public var name: String
    /// What people see, e.g. "Acme (API key)".
    public var label: String
    /// Incremented by every successful import of this name; the first is 1.
    public var version: Int
    public var importedAt: Date
    /// The spec as imported (`communication`, `parameters`…), without common data.
    public var spec: Value
    /// How many connections use this type.
    public var connectionCount: Int
}
