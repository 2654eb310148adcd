import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Canary secrets never reach the disk in clear")
struct CanaryTests {
    static let canary = "CANARY-5f2b9c-never-on-disk"

    /// The canary and its derived forms (base64, URL-encoded) as byte patterns.
    static let patterns: [[UInt8]] = [
        Array(canary.utf8),
        Array(Data(canary.utf8).base64EncodedString().utf8),
        Array(Data("user:\(canary)".utf8).base64EncodedString().utf8),
        Array((canary.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? canary).utf8),
    ]

    static func files(_ path: String) -> [String] { ["", "-wal", "-shm"].map { path + $0 } }

    static func assertAbsent(_ patterns: [[UInt8]], in path: String, _ when: String) {
        for file in files(path) {
            guard let bytes = FileManager.default.contents(atPath: file) else { continue }
            for pattern in patterns {
                #expect(bytes.firstRange(of: Data(pattern)) == nil, "found a secret pattern in \(file) \(when)")
            }
        }
    }

    @Test func canaryIsAbsentAfterEveryOperation() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        try test.vault.setCommonData(["clientSecret": .string(Self.canary)], forType: "acme-apikey")
        let a = try test.addVerified(name: "a", apiKey: Self.canary, uid: "1", extra: ["token": .string(Self.canary)])
        let b = try test.addVerified(name: "b", apiKey: "other", uid: "2")
        Self.assertAbsent(Self.patterns, in: test.path, "after creates")

        let state = VerifiedState(parameters: ["apiKey": .string(Self.canary)],
                                  data: ["apiKey": .string(Self.canary), "token": .string(Self.canary + "-2")], uid: "1")
        let run = HistoryEntry(at: Date(), specVersion: 1, outcome: .valid, httpStatus: 200, durationMs: 1, error: nil)
        try test.vault.record(RunResult(run: run, verified: state), for: a.id)
        try test.vault.rename(b.id, to: "renamed")
        Self.assertAbsent(Self.patterns, in: test.path, "after updates")

        try test.vault.remove(a.id)
        Self.assertAbsent(Self.patterns, in: test.path, "after removal")
        try test.vault.checkpoint()
        Self.assertAbsent(Self.patterns, in: test.path, "after a checkpoint")

        try test.vault.rotateDataKey()
        Self.assertAbsent(Self.patterns, in: test.path, "after rotation and its checkpoint")
    }

    @Test func rotationLeavesNoOldCiphertextInTheFileOrWAL() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        try test.vault.setCommonData(["clientSecret": "c"], forType: "acme-apikey")
        let ids = try (0..<50).map { try test.addVerified(name: "n\($0)", apiKey: "key-\($0)", uid: "\($0)").id }
        let raw = RawDatabase(path: test.path)
        let oldCiphertexts = raw.query("SELECT sealed FROM connections UNION ALL SELECT sealed FROM common_data")
            .compactMap { $0[0].blob }
        let oldWrappedKey = raw.query("SELECT wrapped_key FROM data_keys")[0][0].blob!

        let report = try test.vault.rotateDataKey()
        #expect(report.keyVersion == 2 && report.resealedValues == 51 && report.walTruncated)
        #expect(raw.query("SELECT version FROM data_keys") == [[.integer(2)]])
        let walSize = (try? FileManager.default.attributesOfItem(atPath: test.path + "-wal")[.size] as? Int) ?? 0
        #expect(walSize == 0)
        // Old ciphertexts (their nonce+tag tails are unique) appear nowhere on disk.
        Self.assertAbsent(oldCiphertexts.map { Array($0.suffix(40)) } + [Array(oldWrappedKey.suffix(40))],
                          in: test.path, "after rotation")
        let reopened = try test.reopen()
        for (index, id) in ids.enumerated() { #expect(try reopened.data(of: id)["apiKey"] == .string("key-\(index)")) }
        #expect(try reopened.commonData(forType: "acme-apikey")["clientSecret"] == "c")
        #expect(try reopened.rotateDataKey().keyVersion == 3)
    }
}
