internal import CSodium

/// Secret bytes kept in libsodium-guarded memory: guard pages, locked out of swap, zeroed when released.
///
/// The bytes are reachable only through ``withUnsafeBytes(_:)``; the value never prints its content.
/// After initialisation the memory is made read-only, so instances are immutable and safe to share.
public final class SecureBytes: @unchecked Sendable {
    private let pointer: UnsafeMutableRawPointer
    /// The number of bytes held.
    public let count: Int

    /// Copies `count` bytes written by `initializer` into guarded memory.
    init(count: Int, initializer: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        _ = Sodium.ready
        precondition(count >= 0, "SecureBytes cannot hold a negative count")
        guard let pointer = sodium_malloc(count) else { preconditionFailure("sodium_malloc(\(count)) failed") }
        self.pointer = pointer
        self.count = count
        do {
            try initializer(UnsafeMutableRawBufferPointer(start: count == 0 ? nil : pointer, count: count))
        } catch {
            sodium_free(pointer)
            throw error
        }
        sodium_mprotect_readonly(pointer)
    }

    /// Copies `bytes` into guarded memory. The caller stays responsible for wiping its own copy.
    public convenience init(copying bytes: some Collection<UInt8>) {
        let array = Array(bytes)
        self.init(count: array.count) { buffer in buffer.copyBytes(from: array) }
    }

    /// Fresh random bytes generated directly in guarded memory.
    static func random(count: Int) -> SecureBytes {
        SecureBytes(count: count) { buffer in randombytes_buf(buffer.baseAddress!, count) }
    }

    deinit {
        sodium_free(pointer)  // zeroes the memory before releasing it
    }

    /// Calls `body` with read access to the secret bytes; the pointer must not escape.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: count == 0 ? nil : pointer, count: count))
    }

    /// Compares two secrets in constant time.
    public func constantTimeEquals(_ other: SecureBytes) -> Bool {
        count == other.count && sodium_memcmp(pointer, other.pointer, count) == 0
    }
}

extension SecureBytes: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
