import ConnectionVault
import Foundation
import Testing
import TestSupport

@Suite("File permissions", .serialized)
struct FileModeTests {
    func mode(_ path: String) -> mode_t {
        var info = stat()
        #expect(stat(path, &info) == 0, "\(path) is missing")
        return info.st_mode & 0o777
    }

    @Test func vaultWalAndShmAre0600UnderUmask022() throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let test = try TestVault()
        try test.importAPIKeyType()
        try test.addVerified(apiKey: "k")
        for suffix in ["", "-wal", "-shm"] {
            #expect(mode(test.path + suffix) == 0o600, "mode of vault\(suffix)")
        }
        // A second process's connection must not loosen them either.
        _ = try test.reopen().connections()
        for suffix in ["", "-wal", "-shm"] { #expect(mode(test.path + suffix) == 0o600) }
    }

    @Test func anExistingFileIsNeverOverwritten() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("vault.db")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: VaultError.vaultExists(path: path)) {
            try Vault.create(at: path, key: .base64(TestVault.randomKeyBase64()))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me")
    }
}
