import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Key operations")
struct KeyChangeTests {
    @Test func rotationByAnotherHandleIsPickedUp() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        let first = try test.addVerified(name: "a", apiKey: "k-a", uid: "1")
        let other = try test.reopen()  // stands for another process holding the old data key
        try test.vault.rotateDataKey()
        #expect(try other.data(of: first.id)["apiKey"] == "k-a")
        let second = try TestVault.addVerified(on: other, apiKey: "k-b")
        #expect(try test.vault.data(of: second.id)["apiKey"] == "k-b")
        let raw = RawDatabase(path: test.path)
        #expect(raw.query("SELECT DISTINCT hex(substr(sealed, 2, 4)) FROM connections") == [[.text("00000002")]])
    }

    @Test func changingTheMasterKeyRewrapsOnly() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        let c = try test.addVerified(apiKey: "k")
        let raw = RawDatabase(path: test.path)
        let sealedBefore = raw.query("SELECT sealed FROM connections")
        let newKey = TestVault.randomKeyBase64()
        try test.vault.changeMasterKey(to: .base64(newKey))
        #expect(raw.query("SELECT sealed FROM connections") == sealedBefore)
        #expect(throws: VaultError.wrongKey("the master key does not open this vault")) { try test.reopen() }
        let reopened = try Vault.open(at: test.path, key: .base64(newKey))
        #expect(try reopened.data(of: c.id)["apiKey"] == "k")
        #expect(try test.vault.data(of: c.id)["apiKey"] == "k")

        var options = Vault.Options()
        options.passphraseHardness = .interactive
        let withPassphrase = try Vault.open(at: test.path, key: .base64(newKey), options: options)
        try withPassphrase.changeMasterKey(to: .passphrase("new pass"))
        #expect(throws: VaultError.self) { try Vault.open(at: test.path, key: .base64(newKey)) }
        #expect(try Vault.open(at: test.path, key: .passphrase("new pass")).data(of: c.id)["apiKey"] == "k")
    }
}

extension TestVault {
    /// Adds a verified connection through another handle on the same file.
    static func addVerified(on vault: Vault, apiKey: String) throws -> Connection {
        let state = VerifiedState(parameters: ["apiKey": .string(apiKey)], data: ["apiKey": .string(apiKey)], uid: apiKey)
        let run = HistoryEntry(at: Date(), specVersion: 1, outcome: .valid, httpStatus: 200, durationMs: 1, error: nil)
        return try vault.createConnection(NewConnection(typeName: "acme-apikey", name: apiKey, storage: .verified(run, state)))
    }
}
