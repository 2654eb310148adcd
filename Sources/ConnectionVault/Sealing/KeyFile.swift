#if canImport(Glibc)
import Glibc
#endif
internal import CSodium

extension MasterKeySource {
    /// Generates 32 random bytes and writes their base64 and a newline to a new file of mode 0600.
    ///
    /// Refuses to overwrite anything at `path`. The key never leaves guarded memory except into the file.
    public static func createKeyFile(at path: String) throws -> MasterKeySource {
        let key = SecureBytes.random(count: MasterKeyMaterial.keyBytes)
        let encodedCount = sodium_base64_encoded_len(MasterKeyMaterial.keyBytes, sodium_base64_VARIANT_ORIGINAL)
        let text = SecureBytes(count: encodedCount) { out in
            key.withUnsafeBytes { raw in
                _ = sodium_bin2base64(
                    out.baseAddress!.assumingMemoryBound(to: CChar.self), encodedCount,
                    raw.baseAddress!.assumingMemoryBound(to: UInt8.self), raw.count, sodium_base64_VARIANT_ORIGINAL)
            }
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST { throw VaultError.vaultExists(path: path) }
            throw VaultError.fileSystem("cannot create key file \(path): \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        let written = text.withUnsafeBytes { bytes in
            fchmod(descriptor, 0o600) == 0 && write(descriptor, bytes.baseAddress, encodedCount - 1) == encodedCount - 1
                && write(descriptor, "\n", 1) == 1 && fsync(descriptor) == 0
        }
        guard written else {
            unlink(path)
            throw VaultError.fileSystem("cannot write key file \(path): \(String(cString: strerror(errno)))")
        }
        return .key(key)
    }
}
