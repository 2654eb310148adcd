import ConnectionVault
import Foundation
import Testing
import TestSupport

/// `kill -9` of a process recording batches of runs (`VaultStress batches`), which acknowledges each commit on
/// standard output: every acknowledged batch survives the kill, and every batch is all or nothing.
@Suite("kill -9 while recording batches")
struct BatchKillTests {
    static let long = ReliabilitySettings.long

    @Test func everyAcknowledgedBatchSurvivesAndNoBatchIsHalfWritten() async throws {
        try await HeavyTest.run { try await everyAcknowledgedBatchSurvivesAndNoBatchIsHalfWrittenAlone() }
    }

    func everyAcknowledgedBatchSurvivesAndNoBatchIsHalfWrittenAlone() async throws {
        let kills = Self.long ? 200 : 25
        let batchSize = 40
        let test = try TestVault()
        try test.importAPIKeyType()
        try test.addRuleConnections(60)
        let stress = CommandRunner(product: "VaultStress")
        let environment = ["CONNVAULT_KEY": test.keyBase64]
        let audit = VaultAudit(path: test.path, keyBase64: test.keyBase64)
        var killed = 0
        var acknowledgedTotal = 0
        // The highest history id before each attempt: an attempt checks only its own runs.
        var lastID = try RawDatabase(path: test.path).attempt("SELECT max(id) FROM history").first?.first?.integer ?? 0
        for attempt in 0..<(kills * 2) where killed < kills {
            let process = try RunningCommand(stress, ["batches", test.path, "1000", "\(batchSize)"], environment: environment)
            try await Task.sleep(for: .microseconds(Int64.random(in: 20_000..<250_000)))
            process.kill()
            let outcome = process.wait()
            if outcome.killedBySignal { killed += 1 } else {
                #expect(outcome.status == 0, "\(outcome.stderr)")
            }
            let acknowledged = outcome.stdout.split(separator: "\n").compactMap { Int($0.dropFirst("committed ".count)) }.max() ?? 0
            acknowledgedTotal += acknowledged
            // Batch numbers (the runs' durationMs) restart at 1 in each run.
            let raw = RawDatabase(path: test.path)
            let rows = try raw.attempt("SELECT duration_ms, count(*) FROM history WHERE id > ? GROUP BY duration_ms", [lastID])
            var sizes: [Int: Int] = [:]
            for row in rows { sizes[row[0].integer ?? -1] = row[1].integer ?? 0 }
            for batch in 1...max(1, acknowledged) where acknowledged > 0 {
                #expect(sizes[batch] == batchSize, "acknowledged batch \(batch) of attempt \(attempt) has \(sizes[batch] ?? 0) runs")
            }
            #expect(sizes.values.allSatisfy { $0 == batchSize }, "a half-written batch: \(sizes)")
            #expect(sizes.keys.allSatisfy { $0 <= acknowledged + 1 }, "a batch committed out of order")
            lastID = try raw.attempt("SELECT coalesce(max(id), 0) FROM history").first?.first?.integer ?? lastID
            if case .failure(let problems) = audit.check(expect: VaultAudit.apiKeyMatchesName) {
                Issue.record("after kill \(killed): \(problems)")
                return
            }
        }
        #expect(killed >= kills)
        ReliabilitySettings.report("VaultStress batches: \(killed) kills, \(acknowledgedTotal) acknowledged batches all present")
    }
}
