@testable import ConnectionVault
import Foundation
import IML
import Synchronization
import Testing
import TestSupport

/// Every write the vault makes runs inside `BEGIN IMMEDIATE`: never in autocommit, never in a deferred
/// transaction that would have to upgrade its lock (and could fail with SQLITE_BUSY mid-way).
@Suite("Transaction discipline")
struct TransactionDisciplineTests {
    final class StatementLog: Sendable {
        let entries = Mutex<[(sql: String, autocommit: Bool)]>([])
    }

    static let writePrefixes = ["INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "ALTER", "DROP"]

    /// The violations in a statement log: writes outside a transaction or inside a deferred one.
    static func violations(_ log: [(sql: String, autocommit: Bool)]) -> [String] {
        var problems: [String] = []
        var current: String?
        for (sql, autocommit) in log {
            let text = sql.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            if text.hasPrefix("BEGIN") { current = text; continue }
            if text.hasPrefix("COMMIT") || text.hasPrefix("ROLLBACK") || text.hasPrefix("END") { current = nil; continue }
            guard writePrefixes.contains(where: { text.hasPrefix($0) }) else { continue }
            if autocommit { problems.append("write outside a transaction: \(text.prefix(60))") }
            else if current != "BEGIN IMMEDIATE" { problems.append("write in \(current ?? "?"): \(text.prefix(60))") }
        }
        return problems
    }

    @Test func everyVaultWriteIsInsideBeginImmediate() async throws {
        let test = try TestVault()
        let log = StatementLog()
        try test.vault.queue.inDatabase { database in
            database.observeStatements(StatementObserver { sql, autocommit in
                log.entries.withLock { $0.append((sql, autocommit)) }
            })
        }
        try test.importAPIKeyType()
        try test.vault.setCommonData(["s": "1"], forType: "acme-apikey")
        let a = try test.addVerified(name: "a", apiKey: "k1", uid: "1")
        let b = try test.addVerified(name: "b", apiKey: "k2", uid: "2")
        try test.vault.record(RunResult(run: HistoryEntry(at: Date(), specVersion: 1, outcome: .invalid, httpStatus: 401,
                                                          durationMs: 1, error: "x")), for: a.id)
        try test.vault.rename(b.id, to: "bee")
        _ = try test.vault.connections()
        _ = try test.vault.history(of: a.id)
        _ = try test.vault.data(of: a.id)
        try test.vault.rotateDataKey()
        try test.vault.changeMasterKey(to: .base64(TestVault.randomKeyBase64()))
        let archive = test.directory.file("a.cva")
        let passphrase = SecureBytes(copying: Array("p".utf8))
        try test.vault.exportArchive(to: archive, passphrase: passphrase, hardness: .interactive)
        try test.vault.importArchive(from: archive, passphrase: passphrase)
        try test.vault.remove(a.id)

        let entries = log.entries.withLock { $0 }
        #expect(entries.count > 50)
        #expect(entries.contains { $0.sql.uppercased().hasPrefix("BEGIN IMMEDIATE") })
        #expect(Self.violations(entries).isEmpty, "\(Self.violations(entries))")
    }

    @Test func theCheckCatchesDeferredAndAutocommitWrites() {
        #expect(Self.violations([("BEGIN DEFERRED", true), ("UPDATE t SET x = 1", false), ("COMMIT", false)]).count == 1)
        #expect(Self.violations([("INSERT INTO t VALUES (1)", true)]).count == 1)
        #expect(Self.violations([("BEGIN IMMEDIATE", true), ("DELETE FROM t", false), ("COMMIT", false)]).isEmpty)
    }
}
