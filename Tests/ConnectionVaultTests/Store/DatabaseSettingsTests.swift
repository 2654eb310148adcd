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

    /// UUIDs are bound as text SQLite reads in place from the statement's own buffer, one slot per parameter: two
    /// ids in one statement keep their own text, and binding again replaces only that parameter's.
    @Test func boundIDsKeepTheirOwnTextUntilBoundAgain() throws {
        let directory = TemporaryDirectory()
        let database = try Database(path: directory.file("ids.db"), mode: .create, busyTimeout: .seconds(1))
        let statement = try database.statement("SELECT ?1, ?2, ?1 = ?2")
        let first = UUID()
        let second = UUID()
        func row() throws -> [String] {
            defer { statement.finish() }
            #expect(try statement.step())
            return [statement.text(0), statement.text(1), statement.text(2)]
        }
        try statement.bind(first, at: 1)
        try statement.bind(second, at: 2)
        #expect(try row() == [first.storedText, second.storedText, "0"])
        try statement.bind(first, at: 2)
        #expect(try row() == [first.storedText, first.storedText, "1"])
        let third = UUID()
        try statement.bind(third, at: 1)
        #expect(try row() == [third.storedText, first.storedText, "0"])
    }
}
