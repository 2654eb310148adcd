import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("connvault export and import")
struct ArchiveCommandTests {
    let connvault = CommandRunner(product: "connvault")

    @Test func roundTripIntoAnotherVaultAndATamperedArchive() throws {
        let source = try TestVault()
        try source.importAPIKeyType()
        let connection = try source.addVerified(name: "jane", apiKey: "CANARY-export-key", uid: "7")
        let sourceEnvironment = ["CONNVAULT_KEY": source.keyBase64, "CONNVAULT_PATH": source.path,
                                 "CONNVAULT_EXPORT_PASSPHRASE": "CANARY-export-pass"]
        let archive = source.directory.file("vault.cva")
        let exported = try connvault.run(["export", "--out", archive], environment: sourceEnvironment)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.contains("1 connections") && !exported.stdout.contains("CANARY"))
        #expect(try connvault.run(["export", "--out", archive], environment: sourceEnvironment).status != 0)  // never overwrites

        let target = try TestVault()
        var targetEnvironment = ["CONNVAULT_KEY": target.keyBase64, "CONNVAULT_PATH": target.path,
                                 "CONNVAULT_EXPORT_PASSPHRASE": "CANARY-export-pass"]
        let imported = try connvault.run(["import", archive], environment: targetEnvironment)
        #expect(imported.status == 0 && imported.stdout.contains("1 connections"), "\(imported.stderr)")
        #expect(try target.reopen().data(of: connection.id)["apiKey"] == "CANARY-export-key")

        var bytes = try #require(FileManager.default.contents(atPath: archive))
        bytes[bytes.count - 5] ^= 0x01
        let tampered = target.directory.file("tampered.cva")
        try bytes.write(to: URL(fileURLWithPath: tampered))
        let refused = try connvault.run(["import", tampered], environment: targetEnvironment)
        #expect(refused.status == 65 && refused.stderr.contains("archive"))
        targetEnvironment["CONNVAULT_EXPORT_PASSPHRASE"] = "wrong"
        let wrong = try connvault.run(["import", archive], environment: targetEnvironment)
        #expect(wrong.status == 65 && wrong.stderr.contains("wrong passphrase"))
        targetEnvironment["CONNVAULT_EXPORT_PASSPHRASE"] = nil
        #expect(try connvault.run(["import", archive], environment: targetEnvironment).status == 77)
    }
}
