#if canImport(Glibc)
import Glibc
#endif
internal import CSodium
import Synchronization

/// Turns a ``MasterKeySource`` into the 32-byte master key.
enum MasterKeyMaterial {
    static let keyBytes = 32
    static let saltBytes = Int(crypto_pwhash_SALTBYTES)

    /// The key stored parameters of a passphrase vault: salt and hardness.
    struct Derivation: Sendable, Hashable {
        var salt: [UInt8]
        var hardness: PassphraseHardness
    }

    /// Decodes the base64 of exactly 32 bytes straight into guarded memory.
    static func decodeBase64Key(_ text: [UInt8], origin: String) throws(VaultError) -> SecureBytes {
        _ = Sodium.ready
        var trimmed = text[...]
        while let last = trimmed.last, last == 0x0A || last == 0x0D || last == 0x20 { trimmed = trimmed.dropLast() }
        var decodedCount = 0
        var ok = false
        let key = SecureBytes(count: keyBytes + 1) { out in
            let input = Array(trimmed)
            ok = input.withUnsafeBufferPointer { input in
                sodium_base642bin(
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), keyBytes + 1,
                    input.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, input.count,
                    nil, &decodedCount, nil, sodium_base64_VARIANT_ORIGINAL) == 0
            }
        }
        guard ok, decodedCount == keyBytes else {
            throw .malformedKey("\(origin) must be the base64 of exactly \(keyBytes) bytes")
        }
        return SecureBytes(count: keyBytes) { out in key.withUnsafeBytes { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(keyBytes))) } }
    }

    /// Reads a key file, refusing one that grants any permission to group or others.
    static func readKeyFile(_ path: String) throws(VaultError) -> SecureBytes {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .keyFileUnreadable(path: path) }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else { throw .keyFilePermissions(path: path, mode: UInt32(mode)) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .keyFileUnreadable(path: path) }
        defer { close(descriptor) }
        var contents = [UInt8](repeating: 0, count: 256)
        defer { Sodium.wipe(&contents) }
        let count = contents.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw .keyFileUnreadable(path: path) }
        return try decodeBase64Key(Array(contents.prefix(count)), origin: "the key file \(path)")
    }

    /// A fresh derivation: random salt and the given hardness.
    static func newDerivation(hardness: PassphraseHardness) -> Derivation {
        Derivation(salt: Sodium.randomBytes(saltBytes), hardness: hardness)
    }

    /// Counts Argon2id runs within a task-local scope (tests check that raw keys never run it, and that a
    /// passphrase runs it once per open), unaffected by other tasks running at the same time.
    final class DerivationCounter: Sendable {
        let count = Atomic<Int>(0)
    }

    @TaskLocal static var derivationCounter: DerivationCounter?

    /// Stretches a passphrase with Argon2id into a 32-byte key.
    static func derive(passphrase: SecureBytes, derivation: Derivation) throws(VaultError) -> SecureBytes {
        guard derivation.hardness.isWithinLimits, derivation.salt.count == saltBytes else {
            throw .corruptVault("the stored passphrase parameters are out of range")
        }
        derivationCounter?.count.add(1, ordering: .relaxed)
        var status: Int32 = 0
        let key = SecureBytes(count: keyBytes) { out in
            status = passphrase.withUnsafeBytes { secret in
                derivation.salt.withUnsafeBufferPointer { salt in
                    crypto_pwhash(
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(keyBytes),
                        secret.baseAddress!.assumingMemoryBound(to: CChar.self), UInt64(secret.count),
                        salt.baseAddress!, derivation.hardness.operations, derivation.hardness.memoryBytes,
                        crypto_pwhash_ALG_ARGON2ID13)
                }
            }
        }
        guard status == 0 else { throw .keyDerivationFailed }
        return key
    }

    /// Resolves a raw-key source (key or key file) to its 32 bytes; nil for a passphrase.
    static func rawKey(_ source: MasterKeySource) throws(VaultError) -> SecureBytes? {
        switch source {
        case .key(let key):
            guard key.count == keyBytes else { throw .malformedKey("a master key must be exactly \(keyBytes) bytes") }
            return key
        case .keyFile(let path): return try readKeyFile(path)
        case .passphrase: return nil
        }
    }
}
