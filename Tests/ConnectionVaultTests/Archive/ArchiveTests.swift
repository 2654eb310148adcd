import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Encrypted archives")
struct ArchiveTests {
    static let passphrase = SecureBytes(copying: Array("archive pass".utf8))

    func exported() throws -> (TestVault, String, [Connection]) {
        let source = try TestVault()
        try source.importAPIKeyType()
        try source.vault.setCommonData(["clientSecret": "CANARY-archive-common"], forType: "acme-apikey")
        let a = try source.addVerified(name: "a", apiKey: "CANARY-archive-a", uid: "1", extra: ["token": "t"])
        let b = try source.addVerified(name: "b", apiKey: "CANARY-archive-b", uid: "2")
        try source.vault.record(RunResult(run: HistoryEntry(at: Date(), specVersion: 1, outcome: .invalid, httpStatus: 401,
                                                            durationMs: 3, error: "no")), for: b.id)
        let path = source.directory.file("backup.cva")
        try source.vault.exportArchive(to: path, passphrase: Self.passphrase, hardness: .interactive)
        return (source, path, [a, try source.vault.connection(b.id)])
    }

    @Test func roundTripIntoAVaultWithAnotherMasterKey() throws {
        let (source, path, connections) = try exported()
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(bytes.range(of: Data("CANARY".utf8)) == nil)
        #expect(((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) == 0o600)
        let target = try TestVault()
        let report = try target.vault.importArchive(from: path, passphrase: Self.passphrase)
        #expect(report.types == 1 && report.connections == 2 && report.historyEntries == 3)
        for connection in connections {
            #expect(try target.vault.connection(connection.id) == connection)
            #expect(try target.vault.secrets(of: connection.id) == source.vault.secrets(of: connection.id))
            #expect(try target.vault.history(of: connection.id) == source.vault.history(of: connection.id))
        }
        #expect(try target.vault.commonData(forType: "acme-apikey")["clientSecret"] == "CANARY-archive-common")
        // Importing again is an upsert: the same two connections, the type one version up.
        try target.vault.importArchive(from: path, passphrase: Self.passphrase)
        #expect(try target.vault.connections().count == 2 && target.vault.type(named: "acme-apikey").version == 2)
        #expect(try target.vault.history(of: connections[1].id).count == 2)
    }

    @Test func truncatedAlteredReorderedOrWrongPassphraseArchivesAreRefusedWhole() throws {
        let (source, path, _) = try exported()
        defer { withExtendedLifetime(source) {} }  // its directory holds the archive
        let bytes = try #require(FileManager.default.contents(atPath: path)).map { $0 }
        let target = try TestVault()
        let raw = RawDatabase(path: target.path)
        let before = raw.logicalDump()
        func refused(_ variant: [UInt8], passphrase: SecureBytes = Self.passphrase) throws -> String {
            let file = target.directory.file("variant-\(UUID().uuidString)")
            try Data(variant).write(to: URL(fileURLWithPath: file))
            do {
                try target.vault.importArchive(from: file, passphrase: passphrase)
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(try refused(bytes, passphrase: SecureBytes(copying: Array("wrong".utf8))).contains("wrong passphrase"))
        for cut in [10, 80, bytes.count / 2, bytes.count - 1] {
            #expect(try refused(Array(bytes.prefix(cut))).contains("truncated") || (try refused(Array(bytes.prefix(cut)))).contains("not a connvault"))
        }
        var altered = bytes
        altered[bytes.count / 2] ^= 1
        #expect(try !refused(altered).isEmpty)
        // Swap the second and third messages: lengths are framed, so reordering keeps every frame intact.
        let headerCount = 8 + 16 + 16 + 24
        func frames(_ data: [UInt8]) -> [[UInt8]] {
            var result: [[UInt8]] = []
            var offset = headerCount
            while offset < data.count {
                let length = Int(data[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) })
                result.append(Array(data[offset..<(offset + 4 + length)]))
                offset += 4 + length
            }
            return result
        }
        var parts = frames(bytes)
        parts.swapAt(1, 2)
        #expect(try refused(Array(bytes.prefix(headerCount)) + parts.flatMap { $0 }).contains("altered or reordered"))
        #expect(raw.logicalDump() == before)
    }
}
