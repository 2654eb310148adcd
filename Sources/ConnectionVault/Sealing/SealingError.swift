/// A sealed value that could not be opened. Never carries key material or plaintext.
public enum SealingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes are too short or carry an unknown format version.
    case malformed(SealLocation)
    /// Authentication failed: the value was altered, moved from another row or field, or sealed under another key.
    case authenticationFailed(SealLocation)
    /// The value names a data key version the vault does not hold.
    case unknownKeyVersion(UInt32, SealLocation)

    public var description: String {
        switch self {
        case .malformed(let location):
            "sealed value at \(location) is malformed (truncated or unknown format)"
        case .authenticationFailed(let location):
            "sealed value at \(location) failed authentication (altered, moved or sealed under another key)"
        case .unknownKeyVersion(let version, let location):
            "sealed value at \(location) names data key version \(version), which the vault does not hold"
        }
    }

    /// Where the failing value lives.
    public var location: SealLocation {
        switch self {
        case .malformed(let location), .authenticationFailed(let location), .unknownKeyVersion(_, let location):
            location
        }
    }
}
