#if canImport(Glibc)
import Glibc
#endif
internal import CSodium

/// The encrypted archive container: a header, then libsodium secretstream (XChaCha20-Poly1305) messages.
///
///     "CVAULTX1" | salt (16) | Argon2id opslimit (UInt64 BE) | memlimit (UInt64 BE) | stream header (24)
///     then messages: [length UInt32 BE][ciphertext], the last tagged FINAL
///
/// Truncation (no FINAL message), reordering, or any altered byte fails authentication; a wrong passphrase
/// fails on the first message. The header is bound as additional data of the first message.
enum ArchiveStream {
    static let magic = Array("CVAULTX1".utf8)
    static let headerBytes = Int(crypto_secretstream_xchacha20poly1305_HEADERBYTES)
    static let overhead = Int(crypto_secretstream_xchacha20poly1305_ABYTES)

    /// Writes messages to a file as they are pushed.
    final class Writer {
        private var state = crypto_secretstream_xchacha20poly1305_state()
        private let descriptor: Int32
        private var prefix: [UInt8]?

        init(path: String, passphrase: SecureBytes, hardness: PassphraseHardness) throws {
            _ = Sodium.ready
            let derivation = MasterKeyMaterial.newDerivation(hardness: hardness)
            let key = try MasterKeyMaterial.derive(passphrase: passphrase, derivation: derivation)
            descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard descriptor >= 0 else {
                throw VaultError.fileSystem("cannot create \(path): \(String(cString: strerror(errno)))")
            }
            var header = [UInt8](repeating: 0, count: ArchiveStream.headerBytes)
            key.withUnsafeBytes { key in
                _ = crypto_secretstream_xchacha20poly1305_init_push(
                    &state, &header, key.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            var head = ArchiveStream.magic + derivation.salt
            head += bigEndian(derivation.hardness.operations) + bigEndian(UInt64(derivation.hardness.memoryBytes)) + header
            prefix = head
            try write(head)
        }

        deinit {
            close(descriptor)
        }

        /// Encrypts and writes one message; `final` marks the end of the archive.
        func push(_ plaintext: [UInt8], final: Bool = false) throws {
            var ciphertext = [UInt8](repeating: 0, count: plaintext.count + ArchiveStream.overhead)
            let additional = prefix ?? []
            prefix = nil
            let tag = final ? crypto_secretstream_xchacha20poly1305_tag_final() : crypto_secretstream_xchacha20poly1305_tag_message()
            _ = crypto_secretstream_xchacha20poly1305_push(
                &state, &ciphertext, nil, plaintext, UInt64(plaintext.count), additional, UInt64(additional.count), tag)
            try write(bigEndian32(UInt32(ciphertext.count)) + ciphertext)
            if final { guard fsync(descriptor) == 0 else { throw VaultError.fileSystem("cannot sync the archive") } }
        }

        private func write(_ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                guard written > 0 else { throw VaultError.fileSystem("cannot write the archive: \(String(cString: strerror(errno)))") }
                offset += written
            }
        }
    }

    /// Reads and authenticates every message of an archive; refuses the whole archive on any failure.
    static func read(_ bytes: [UInt8], passphrase: SecureBytes) throws -> [[UInt8]] {
        _ = Sodium.ready
        let prefixCount = magic.count + MasterKeyMaterial.saltBytes + 16 + headerBytes
        guard bytes.count >= prefixCount, Array(bytes.prefix(magic.count)) == magic else {
            throw VaultError.invalidInput("not a connvault archive")
        }
        var offset = magic.count
        let salt = Array(bytes[offset..<(offset + MasterKeyMaterial.saltBytes)])
        offset += MasterKeyMaterial.saltBytes
        let operations = readUInt64(bytes, at: offset)
        let memory = readUInt64(bytes, at: offset + 8)
        offset += 16
        let header = Array(bytes[offset..<(offset + headerBytes)])
        offset += headerBytes
        guard memory <= UInt64(PassphraseHardness.maximum.memoryBytes) else {
            throw VaultError.invalidInput("the archive asks for more Argon2 memory than allowed")
        }
        let hardness = PassphraseHardness(operations: operations, memoryBytes: Int(memory))
        let key = try MasterKeyMaterial.derive(passphrase: passphrase, derivation: .init(salt: salt, hardness: hardness))
        var state = crypto_secretstream_xchacha20poly1305_state()
        let started = key.withUnsafeBytes { key in
            crypto_secretstream_xchacha20poly1305_init_pull(&state, header, key.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard started == 0 else { throw VaultError.invalidInput("the archive header is damaged") }
        var additional = Array(bytes[..<offset])
        var messages: [[UInt8]] = []
        var finished = false
        while offset < bytes.count {
            guard !finished else { throw VaultError.invalidInput("the archive has data after its end") }
            guard offset + 4 <= bytes.count else { throw VaultError.invalidInput("the archive is truncated") }
            let length = Int(readUInt32(bytes, at: offset))
            offset += 4
            guard length >= overhead, offset + length <= bytes.count else { throw VaultError.invalidInput("the archive is truncated") }
            var plaintext = [UInt8](repeating: 0, count: length - overhead)
            var tag: UInt8 = 0
            let status = bytes[offset..<(offset + length)].withUnsafeBufferPointer { ciphertext in
                crypto_secretstream_xchacha20poly1305_pull(
                    &state, &plaintext, nil, &tag, ciphertext.baseAddress, UInt64(length), additional, UInt64(additional.count))
            }
            guard status == 0 else {
                throw VaultError.invalidInput(messages.isEmpty
                    ? "the archive does not open: wrong passphrase, or the archive was altered"
                    : "the archive was altered or reordered (message \(messages.count + 1) fails authentication)")
            }
            additional = []
            offset += length
            messages.append(plaintext)
            finished = tag == crypto_secretstream_xchacha20poly1305_tag_final()
        }
        guard finished else { throw VaultError.invalidInput("the archive is truncated (its final message is missing)") }
        return messages
    }

    private static func readUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        bytes[offset..<(offset + 8)].reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

private func bigEndian(_ value: UInt64) -> [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
private func bigEndian32(_ value: UInt32) -> [UInt8] { (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
