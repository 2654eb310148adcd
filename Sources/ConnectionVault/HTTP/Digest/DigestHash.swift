internal import CCrypto

/// The hash functions HTTP Digest names (RFC 7616 §6.1), computed by OpenSSL's libcrypto.
enum DigestHashFunction: Int, Sendable, Hashable, Comparable, CaseIterable {
    case md5 = 0
    case sha256 = 1
    case sha512t256 = 2

    /// The algorithm token without the `-sess` suffix.
    var name: String {
        switch self {
        case .md5: "MD5"
        case .sha256: "SHA-256"
        case .sha512t256: "SHA-512-256"
        }
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The lower-case hex digest of `text`'s UTF-8 bytes.
    func hex(_ text: String) -> String { hex(Array(text.utf8)) }

    /// The lower-case hex digest of `bytes`.
    func hex(_ bytes: [UInt8]) -> String {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let algorithm: OpaquePointer? =
            switch self {
            case .md5: EVP_md5()
            case .sha256: EVP_sha256()
            case .sha512t256: EVP_sha512_256()
            }
        let status = bytes.withUnsafeBufferPointer { input in
            EVP_Digest(input.baseAddress, input.count, &output, &length, algorithm, nil)
        }
        precondition(status == 1, "libcrypto could not compute \(name)")
        return Hex.encode(output.prefix(Int(length)))
    }
}

/// Lower-case hexadecimal text.
enum Hex {
    static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
