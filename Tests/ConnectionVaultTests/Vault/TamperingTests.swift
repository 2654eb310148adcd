import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Tampering with stored ciphertexts")
struct TamperingTests {
    @Test func flippingAnyByteOfAStoredSecretFailsForThatRowOnly() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        let victim = try test.addVerified(name: "victim", apiKey: "k-victim", uid: "1")
        let bystander = try test.addVerified(name: "bystander", apiKey: "k-bystander", uid: "2")
        let raw = RawDatabase(path: test.path)
        let id = victim.id.uuidString.lowercased()
        let original = raw.query("SELECT sealed FROM connections WHERE id = ?", [id])[0][0].blob!
        for index in original.indices {
            var altered = original
            altered[index] ^= 0x80
            raw.query("UPDATE connections SET sealed = ? WHERE id = ?", [altered, id])
            let vault = try test.reopen()
            #expect(throws: VaultError.self, "byte \(index)") { try vault.data(of: victim.id) }
            do {
                _ = try vault.data(of: victim.id)
            } catch let error as VaultError {
                guard case .sealing(let sealing) = error else { Issue.record("unexpected \(error)"); continue }
                #expect(sealing.location.rowID == id)
                #expect(error.description.contains(id))
            }
            #expect(try vault.data(of: bystander.id)["apiKey"] == .string("k-bystander"))
            #expect(try vault.connections().count == 2)  // listing never decrypts
        }
        raw.query("UPDATE connections SET sealed = ? WHERE id = ?", [original, id])
        #expect(try test.reopen().data(of: victim.id)["apiKey"] == .string("k-victim"))
    }

    @Test func truncatedOrMovedCiphertextsFail() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        let a = try test.addVerified(name: "a", apiKey: "k-a", uid: "1")
        let b = try test.addVerified(name: "b", apiKey: "k-b", uid: "2")
        try test.vault.setCommonData(["secret": "c"], forType: "acme-apikey")
        let raw = RawDatabase(path: test.path)
        let aID = a.id.uuidString.lowercased()
        let bID = b.id.uuidString.lowercased()
        let sealedA = raw.query("SELECT sealed FROM connections WHERE id = ?", [aID])[0][0].blob!

        for count in [0, 10, 29, sealedA.count - 1] {
            raw.query("UPDATE connections SET sealed = ? WHERE id = ?", [Array(sealedA.prefix(count)), bID])
            #expect(throws: VaultError.self) { try test.vault.data(of: b.id) }
        }
        // A's ciphertext copied into B's row: authentic bytes, wrong place.
        raw.query("UPDATE connections SET sealed = ? WHERE id = ?", [sealedA, bID])
        #expect(throws: VaultError.sealing(.authenticationFailed(
            SealLocation(table: "connections", rowID: bID, field: "sealed")))) { try test.vault.data(of: b.id) }
        // …and into another table's field.
        raw.query("UPDATE common_data SET sealed = ?", [sealedA])
        #expect(throws: VaultError.sealing(.authenticationFailed(
            SealLocation(table: "common_data", rowID: "acme-apikey", field: "sealed")))) {
            try test.vault.commonData(forType: "acme-apikey")
        }
        #expect(try test.vault.data(of: a.id)["apiKey"] == .string("k-a"))
    }

    @Test func aTamperedKeyCheckOrWrappedKeyIsAKeyError() throws {
        let test = try TestVault()
        let raw = RawDatabase(path: test.path)
        var check = raw.query("SELECT key_check FROM vault")[0][0].blob!
        check[check.count - 1] ^= 1
        raw.query("UPDATE vault SET key_check = ?", [check])
        #expect(throws: VaultError.wrongKey("the master key does not open this vault")) { try test.reopen() }
    }
}
