internal import CSodium

/// Library-wide libsodium setup, run once before any other libsodium call.
enum Sodium {
    /// Initialises libsodium on first use; `sodium_init` is idempotent and thread-safe.
    static let ready: Void = {
        guard sodium_init() >= 0 else { preconditionFailure("libsodium failed to initialise") }
    }()

    /// Fills `count` bytes with cryptographically secure random data.
    static func randomBytes(_ count: Int) -> [UInt8] {
        _ = ready
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, count) }
        return bytes
    }

    /// Overwrites `bytes` with zeros in a way the optimiser cannot remove.
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { sodium_memzero(base, buffer.count) }
        }
    }
}
