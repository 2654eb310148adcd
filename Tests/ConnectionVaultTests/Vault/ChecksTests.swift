@testable import ConnectionVault
import Foundation
import IML
import Synchronization
import Testing
import TestSupport

@Suite("Checks", .serialized)
struct ChecksTests {
    @Test func everyUnreadableValueIsReportedAndTheOthersStillRead() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        try test.vault.setCommonData(["s": "1"], forType: "acme-apikey")
        let good = try test.addVerified(name: "good", apiKey: "k-good", uid: "1")
        let bad1 = try test.addVerified(name: "bad1", apiKey: "k1", uid: "2")
        let bad2 = try test.addVerified(name: "bad2", apiKey: "k2", uid: "3")
        #expect(try test.vault.unreadableValues().isEmpty)
        let raw = RawDatabase(path: test.path)
        for id in [bad1.id, bad2.id] {
            raw.query("UPDATE connections SET sealed = substr(sealed, 1, 40) WHERE id = ?", [id.uuidString.lowercased()])
        }
        raw.query("UPDATE common_data SET sealed = zeroblob(60)")
        let failures = try test.vault.unreadableValues()
        #expect(Set(failures.map(\.location.rowID)) == [bad1.id.uuidString.lowercased(), bad2.id.uuidString.lowercased(), "acme-apikey"])
        #expect(try test.vault.data(of: good.id)["apiKey"] == "k-good")
        #expect(try test.vault.integrityProblems().isEmpty)
        #expect(try test.vault.schemaVersion() == Migrator.latestVersion)
    }

    @Test func argon2RunsOnlyForPassphrasesAndOncePerOpen() throws {
        let counter = MasterKeyMaterial.DerivationCounter()
        func runs() -> Int { counter.count.load(ordering: .relaxed) }
        try MasterKeyMaterial.$derivationCounter.withValue(counter) {
            let test = try TestVault()
            _ = try test.reopen()
            _ = try test.reopen()
            #expect(runs() == 0)

            var options = Vault.Options()
            options.passphraseHardness = .interactive
            let directory = TemporaryDirectory()
            let vault = try Vault.create(at: directory.file("p.db"), key: .passphrase("pw"), options: options)
            #expect(runs() == 1)
            try vault.importType(name: "t", label: "t", spec: TestVault.apiKeySpec)
            _ = try vault.types()
            #expect(runs() == 1)
            let reopened = try Vault.open(at: vault.path, key: .passphrase("pw"))
            _ = try reopened.types()
            #expect(runs() == 2)
        }
    }

}
