@testable import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Master keys")
struct MasterKeyTests {
    @Test func base64KeysMustBeExactly32Bytes() throws {
        #expect(throws: VaultError.self) { try MasterKeySource.base64("c2hvcnQ=") }
        #expect(throws: VaultError.self) { try MasterKeySource.base64("not base64 at all!") }
        #expect(throws: VaultError.self) { try MasterKeySource.base64(Data(count: 33).base64EncodedString()) }
        let source = try MasterKeySource.base64(Data(count: 32).base64EncodedString() + "\n")
        #expect("\(source)" == "MasterKeySource.key(<redacted>)")
    }

    @Test func keyFileMustBePrivate() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("master.key")
        try (TestVault.randomKeyBase64() + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o644)
        #expect(throws: VaultError.keyFilePermissions(path: path, mode: 0o644)) {
            try Vault.create(at: directory.file("v.db"), key: .keyFile(path: path))
        }
        #expect(VaultError.keyFilePermissions(path: path, mode: 0o644).description.contains("chmod 600"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("v.db")))
        chmod(path, 0o600)
        let vault = try Vault.create(at: directory.file("v.db"), key: .keyFile(path: path))
        _ = try Vault.open(at: vault.path, key: .keyFile(path: path))
        #expect(throws: VaultError.keyFileUnreadable(path: directory.file("nope"))) {
            try Vault.open(at: vault.path, key: .keyFile(path: directory.file("nope")))
        }
    }

    @Test func wrongKeyIsDetectedAndNothingIsWritten() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        try test.addVerified(apiKey: "secret-1")
        let raw = RawDatabase(path: test.path)
        let before = raw.logicalDump()
        #expect(throws: VaultError.wrongKey("the master key does not open this vault")) {
            try Vault.open(at: test.path, key: .base64(TestVault.randomKeyBase64()))
        }
        #expect(throws: VaultError.wrongKey("this vault is protected by a key, not a passphrase")) {
            try Vault.open(at: test.path, key: .passphrase("pass"))
        }
        #expect(raw.logicalDump() == before)
    }

    @Test func passphraseVaultsUseArgon2AndCheckThePassphrase() throws {
        let directory = TemporaryDirectory()
        var options = Vault.Options()
        options.passphraseHardness = .interactive
        let path = directory.file("p.db")
        let vault = try Vault.create(at: path, key: .passphrase("correct horse"), options: options)
        try vault.importType(name: "t", label: "T", spec: ["communication": ["url": "https://x.test"]])
        let row = RawDatabase(path: path).query("SELECT kdf, length(kdf_salt), kdf_opslimit, kdf_memlimit FROM vault")[0]
        #expect(row == [.text("argon2id"), .integer(16), .integer(2), .integer(64 << 20)])
        let before = RawDatabase(path: path).logicalDump()
        #expect(throws: VaultError.wrongKey("the master key does not open this vault")) {
            try Vault.open(at: path, key: .passphrase("wrong horse"))
        }
        #expect(throws: VaultError.wrongKey("this vault is protected by a passphrase, not a key")) {
            try Vault.open(at: path, key: .base64(TestVault.randomKeyBase64()))
        }
        #expect(RawDatabase(path: path).logicalDump() == before)
        #expect(try Vault.open(at: path, key: .passphrase("correct horse")).types().map(\.name) == ["t"])
        #expect(throws: VaultError.invalidInput("the passphrase is empty")) {
            try Vault.create(at: directory.file("e.db"), key: .passphrase(""))
        }
    }

    @Test func tamperedArgon2ParametersAreCappedNotObeyed() throws {
        let directory = TemporaryDirectory()
        var options = Vault.Options()
        options.passphraseHardness = .interactive
        let path = directory.file("p.db")
        _ = try Vault.create(at: path, key: .passphrase("pw"), options: options)
        RawDatabase(path: path).query("UPDATE vault SET kdf_memlimit = ?", [64 << 30])  // 64 GiB
        #expect(throws: VaultError.corruptVault("the stored passphrase parameters are out of range")) {
            try Vault.open(at: path, key: .passphrase("pw"))
        }
        RawDatabase(path: path).query("UPDATE vault SET kdf_memlimit = ?, kdf_opslimit = ?", [64 << 20, 1_000_000])
        #expect(throws: VaultError.corruptVault("the stored passphrase parameters are out of range")) {
            try Vault.open(at: path, key: .passphrase("pw"))
        }
    }
}
