import Foundation
import Testing
import TestSupport

@testable import ConnectionVault

/// What every connection sets when it opens (Database.swift): the settings the vault's safety and speed rely on.
@Suite("Database settings")
struct DatabaseSettingsTests {
    @Test func everyConnectionOpensWithTheVaultsSettings() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("settings.db")
        _ = try Database(path: path, mode: .create, busyTimeout: .seconds(1))
        let database = try Database(path: path, mode: .existing, busyTimeout: .seconds(1))
        func pragma(_ name: String) throws -> String? {
            try database.queryFirst("PRAGMA \(name)") { $0.text(0) }
        }
        #expect(try pragma("foreign_keys") == "1")
        #expect(try pragma("synchronous") == "2", "FULL: a commit is on disk when it returns")
        #expect(try pragma("secure_delete") == "1", "deleted secrets are overwritten, not left in free pages")
        #expect(try pragma("journal_mode") == "wal")
    }

    /// SQLite's memory statistics are a process-wide setting: turning them off works only before SQLite starts, and
    /// a later call changes nothing and says so.
    @Test func memoryStatisticsCanOnlyBeTurnedOffBeforeSQLiteStarts() throws {
        let directory = TemporaryDirectory()
        _ = try Database(path: directory.file("started.db"), mode: .create, busyTimeout: .seconds(1))
        #expect(Vault.turnOffSQLiteMemoryStatistics() == false)
    }
}
