/// The label that tells two connections of one type apart, usually a user name or an e-mail address.
public struct Metadata: Sendable, Hashable, Codable {
    /// How the value reads.
    public enum Kind: String, Sendable, Hashable, Codable {
        case text
        case email
    }

    public var type: Kind
    public var value: String

    public init(type: Kind = .text, value: String) {
        self.type = type
        self.value = value
    }
}
