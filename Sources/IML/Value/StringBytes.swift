#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// String comparisons by code units, as IML requires (never Swift's canonical equivalence).
enum StringBytes {
    /// Whether two strings have exactly the same scalars (equivalently, the same UTF-8 bytes).
    @inline(__always)
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        let count = left.count
        guard count == right.count else { return false }
        guard count > 0 else { return true }
        if let result = left.withContiguousStorageIfAvailable({ leftBuffer in
            right.withContiguousStorageIfAvailable { rightBuffer in
                // Keys are short: a plain loop beats a call to memcmp.
                if count <= 32 {
                    for index in 0..<count where leftBuffer[index] != rightBuffer[index] { return false }
                    return true
                }
                return memcmp(leftBuffer.baseAddress!, rightBuffer.baseAddress!, count) == 0
            }
        }), let result {
            return result
        }
        return left.elementsEqual(right)
    }

    /// Whether two strings are equal when ASCII letters are folded to lower case.
    static func equalIgnoringASCIICase(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else { return false }
        return left.elementsEqual(right) { lowerASCII($0) == lowerASCII($1) }
    }

    /// The byte with an ASCII upper-case letter folded to lower case.
    @inline(__always)
    static func lowerASCII(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    /// Lexicographic comparison by UTF-16 code units (JavaScript string order).
    static func lessThanUTF16(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf16.lexicographicallyPrecedes(rhs.utf16)
    }
}
