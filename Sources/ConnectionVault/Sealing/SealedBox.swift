internal import CSodium

/// The vault's authenticated encryption: XChaCha20-Poly1305 (IETF) with a fresh random nonce per seal.
///
/// Layout of a sealed value (format version 1):
///
///     [0]       format version (1)
///     [1..<5]   key version, UInt32 big-endian (0 = the master key)
///     [5..<29]  nonce, 24 random bytes
///     [29...]   ciphertext followed by the 16-byte Poly1305 tag
///
/// The additional data binds the ciphertext to the vault id, its ``SealLocation`` and the key version,
/// each length-prefixed so no two distinct bindings encode to the same bytes.
enum SealedBox {
    static let formatVersion: UInt8 = 1
    static let keyBytes = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    static let nonceBytes = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    static let tagBytes = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)
    static let headerBytes = 1 + 4 + nonceBytes

    /// Encrypts `plaintext` under `key` for `location` in the vault `vaultID`.
    static func seal(
        _ plaintext: UnsafeRawBufferPointer, key: SecureBytes, keyVersion: UInt32, vaultID: String,
        location: SealLocation
    ) -> [UInt8] {
        _ = Sodium.ready
        precondition(key.count == keyBytes, "sealing key must be \(keyBytes) bytes")
        var output = [UInt8](repeating: 0, count: headerBytes + plaintext.count + tagBytes)
        output[0] = formatVersion
        withUnsafeBytes(of: keyVersion.bigEndian) { output.replaceSubrange(1..<5, with: $0) }
        withAdditionalData(vaultID: vaultID, location: location, keyVersion: keyVersion) { additional in
            output.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress!
                randombytes_buf(base + 5, nonceBytes)
                key.withUnsafeBytes { keyBuffer in
                    var written: UInt64 = 0
                    _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                        base + headerBytes, &written,
                        plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
                        additional.baseAddress, UInt64(additional.count), nil,
                        base + 5, keyBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        return output
    }

    /// The key version a sealed value names, or nil when it is too short to carry a header.
    static func keyVersion(of sealed: some Collection<UInt8>) -> UInt32? {
        guard sealed.count >= headerBytes + tagBytes else { return nil }
        return sealed.dropFirst().prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Decrypts `sealed` and passes the plaintext to `body`; the plaintext buffer is wiped afterwards.
    static func open<R>(
        _ sealed: [UInt8], key: SecureBytes, vaultID: String, location: SealLocation,
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        try sealed.withUnsafeBytes { try open($0, key: key, vaultID: vaultID, location: location, body) }
    }

    /// Decrypts sealed bytes in place (e.g. an SQLite column) and passes the plaintext to `body`.
    static func open<R>(
        _ sealed: UnsafeRawBufferPointer, key: SecureBytes, vaultID: String, location: SealLocation,
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        guard sealed.count >= headerBytes + tagBytes, sealed[0] == formatVersion, let input = sealed.baseAddress,
            let keyVersion = keyVersion(of: sealed)
        else { throw SealingError.malformed(location) }
        let plaintextCount = sealed.count - headerBytes - tagBytes
        return try withUnsafeTemporaryAllocation(byteCount: max(plaintextCount, 1), alignment: 1) { plaintext in
            defer { sodium_memzero(plaintext.baseAddress!, plaintext.count) }
            let bytes = input.assumingMemoryBound(to: UInt8.self)
            let status = withAdditionalData(vaultID: vaultID, location: location, keyVersion: keyVersion) { additional in
                key.withUnsafeBytes { keyBuffer in
                    var written: UInt64 = 0
                    return crypto_aead_xchacha20poly1305_ietf_decrypt(
                        plaintext.baseAddress!.assumingMemoryBound(to: UInt8.self), &written, nil,
                        bytes + headerBytes, UInt64(sealed.count - headerBytes),
                        additional.baseAddress, UInt64(additional.count),
                        bytes + 5, keyBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
            guard status == 0 else { throw SealingError.authenticationFailed(location) }
            return try body(UnsafeRawBufferPointer(rebasing: plaintext[..<plaintextCount]))
        }
    }

    /// The additional data for a location: a tag, then length-prefixed vault id, table, row, field and key version.
    static func additionalData(vaultID: String, location: SealLocation, keyVersion: UInt32) -> [UInt8] {
        withAdditionalData(vaultID: vaultID, location: location, keyVersion: keyVersion) { Array($0) }
    }

    /// Calls `body` with ``additionalData(vaultID:location:keyVersion:)`` built on the stack: opening a value is
    /// the runner's hot path, and building these bytes in an array cost a fifth of the decryption.
    static func withAdditionalData<R>(
        vaultID: String, location: SealLocation, keyVersion: UInt32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R
    ) rethrows -> R {
        try location.withBytes { table, rowID, field in
            let count = adTag.utf8CodeUnitCount + 1 + 4 * 5 + vaultID.utf8.count + table.count + rowID.count + field.count
            return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
                var cursor = buffer.baseAddress!
                copy(UnsafeBufferPointer(start: adTag.utf8Start, count: adTag.utf8CodeUnitCount), to: &cursor)
                cursor.initialize(to: formatVersion)
                cursor += 1
                write(vaultID, to: &cursor)
                write(table, to: &cursor)
                write(rowID, to: &cursor)
                write(field, to: &cursor)
                write(keyVersion, to: &cursor)
                precondition(cursor == buffer.baseAddress! + count, "additional data is exactly as long as computed")
                return try body(UnsafeBufferPointer(buffer))
            }
        }
    }

    private static func copy(_ bytes: UnsafeBufferPointer<UInt8>, to cursor: inout UnsafeMutablePointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        cursor.initialize(from: source, count: bytes.count)
        cursor += bytes.count
    }

    /// A big-endian UInt32.
    private static func write(_ value: UInt32, to cursor: inout UnsafeMutablePointer<UInt8>) {
        withUnsafeBytes(of: value.bigEndian) { copy($0.assumingMemoryBound(to: UInt8.self), to: &cursor) }
    }

    /// A length-prefixed string.
    private static func write(_ part: String, to cursor: inout UnsafeMutablePointer<UInt8>) {
        var part = part
        part.withUTF8 { write($0, to: &cursor) }
    }

    /// Length-prefixed bytes.
    private static func write(_ part: UnsafeBufferPointer<UInt8>, to cursor: inout UnsafeMutablePointer<UInt8>) {
        write(UInt32(part.count), to: &cursor)
        copy(part, to: &cursor)
    }

    private static let adTag: StaticString = "connvault-seal"
}
