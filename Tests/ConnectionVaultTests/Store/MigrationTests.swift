@testable import ConnectionVault
import Foundation
import Testing
import TestSupport

@Suite("Migrations")
struct MigrationTests {
    /// The repository's `migrations/` folder, found from this file's path.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("migrations")

    @Test func embeddedMigrationsEqualTheFolder() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(!files.isEmpty)
        #expect(files.count == Migration.embedded.count)
        for (file, migration) in zip(files, Migration.embedded) {
            #expect(file == String(format: "%04d_%@.sql", migration.version, migration.name))
            let sql = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
            #expect(sql == migration.sql, "embedded \(file) differs from the folder")
        }
        #expect(Migration.embedded.map(\.version) == Array(1...Migration.embedded.count))
    }

    @Test func newVaultRecordsEveryMigrationOnce() throws {
        let test = try TestVault()
        let raw = RawDatabase(path: test.path)
        let rows = raw.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
        #expect(rows.map { $0[0].integer } == Migration.embedded.map(\.version))
        _ = try test.reopen()
        _ = try test.reopen()
        #expect(raw.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version") == rows)
    }

    @Test func migratingAnEmptyFileCreatesTheSchema() throws {
        let directory = TemporaryDirectory()
        let database = try Database(path: directory.file("empty.db"), mode: .create, busyTimeout: .seconds(1))
        #expect(try Migrator.appliedVersion(database) == 0)
        try Migrator.migrate(database, now: 1)
        #expect(try Migrator.appliedVersion(database) == Migrator.latestVersion)
        for table in ["vault", "data_keys", "connection_types", "common_data", "connections", "history"] {
            #expect(try database.tableExists(table), "missing table \(table)")
        }
        try Migrator.migrate(database, now: 2)  // nothing left to apply
        #expect(try database.queryFirst("SELECT count(*) FROM schema_migrations") { $0.int(0) } == Migrator.latestVersion)
    }

    @Test func aLaterMigrationIsAppliedOnTopOfAnEarlierOne() throws {
        let directory = TemporaryDirectory()
        let database = try Database(path: directory.file("m.db"), mode: .create, busyTimeout: .seconds(1))
        let first = Migration(version: 1, name: "one", sql: "CREATE TABLE a (x INTEGER);")
        let second = Migration(version: 2, name: "two", sql: "ALTER TABLE a ADD COLUMN y TEXT;")
        try Migrator.migrate(database, migrations: [first], now: 1)
        try database.run("INSERT INTO a (x) VALUES (1)")
        try Migrator.migrate(database, migrations: [first, second], now: 2)
        #expect(try database.queryFirst("SELECT x, y IS NULL FROM a") { [$0.int(0), $0.int(1)] } == [1, 1])
        #expect(try Migrator.appliedVersion(database) == 2)
    }

    @Test func aFailingMigrationLeavesNothingHalfApplied() throws {
        let directory = TemporaryDirectory()
        let database = try Database(path: directory.file("m.db"), mode: .create, busyTimeout: .seconds(1))
        let broken = Migration(version: 1, name: "broken", sql: "CREATE TABLE a (x); CREATE TABLE a (y);")
        #expect(throws: DatabaseError.self) { try Migrator.migrate(database, migrations: [broken], now: 1) }
        #expect(try !database.tableExists("a"))
        #expect(try Migrator.appliedVersion(database) == 0)
    }

    @Test func aVaultFromANewerVersionIsRefusedUntouched() throws {
        let test = try TestVault()
        let raw = RawDatabase(path: test.path)
        raw.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)")
        let before = raw.logicalDump()
        #expect(throws: VaultError.schemaTooNew(found: 999, supported: Migrator.latestVersion)) { try test.reopen() }
        #expect(raw.logicalDump() == before)
        let message = VaultError.schemaTooNew(found: 999, supported: 1).description
        #expect(message.contains("999") && message.contains("upgrade"))
    }

    @Test func aFileThatIsNotAVaultIsRefused() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("notes.txt")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect(throws: VaultError.notAVault(path: path)) { try Vault.open(at: path, key: .base64(TestVault.randomKeyBase64())) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(repeating: 0x41, count: 4096))
        let other = directory.file("other.db")
        RawDatabase(path: other).query("CREATE TABLE t (x)")
        #expect(throws: VaultError.notAVault(path: other)) { try Vault.open(at: other, key: .base64(TestVault.randomKeyBase64())) }
    }

    @Test func aMissingVaultNamesThePathAndInit() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("missing.db")
        #expect(throws: VaultError.vaultNotFound(path: path)) { try Vault.open(at: path, key: .base64(TestVault.randomKeyBase64())) }
        #expect(VaultError.vaultNotFound(path: path).description.contains("connvault init"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}

extension MigrationTests {
    @Test func openingAnUpToDateVaultTakesNoWriteLock() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        let writer = RawDatabase(path: test.path)
        writer.query("BEGIN IMMEDIATE")  // another process in the middle of a write
        defer { writer.query("ROLLBACK") }
        var options = Vault.Options()
        options.busyTimeout = .milliseconds(100)
        let reopened = try Vault.open(at: test.path, key: .base64(test.keyBase64), options: options)
        #expect(try reopened.types().count == 1)
    }
}

extension MigrationTests {
    /// A vault at schema version 1 holding a type, `count` connections and a history row for each.
    private static func versionOneDatabase(at path: String, connections count: Int) throws -> Database {
        let database = try Database(path: path, mode: .create, busyTimeout: .seconds(1))
        try Migrator.migrate(database, migrations: [Migration.embedded[0]], now: 1)
        try database.writeTransaction {
            try database.run(
                "INSERT INTO connection_types (name, label, spec_json, spec_version, imported_at) VALUES (?, ?, ?, ?, ?)",
                "acme", "Acme", "{}", 1, 1)
            for index in 0..<count {
                let id = UUID().storedText
                try database.run(
                    """
                    INSERT INTO connections (id, type_name, name, status, spec_version, created_at, updated_at,
                                             uid, sealed)
                    VALUES (?, 'acme', ?, 'valid', 1, ?, ?, ?, ?)
                    """, id, "connection \(index)", index, index, "user-\(index)", [UInt8](repeating: UInt8(index % 256), count: 40))
                try database.run(
                    "INSERT INTO history (connection_id, at, spec_version, outcome, duration_ms) VALUES (?, ?, 1, 'valid', 3)",
                    id, index)
            }
        }
        return database
    }

    @Test func clusteringConnectionsByIDKeepsEveryRowAndItsHistory() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("v1.db")
        let database = try Self.versionOneDatabase(at: path, connections: 50)
        let raw = RawDatabase(path: path)
        let connections = "SELECT * FROM connections ORDER BY id"
        let history = "SELECT * FROM history ORDER BY id"
        let before = (raw.query(connections), raw.query(history))
        #expect(before.0.count == 50 && before.1.count == 50)

        try Migrator.migrate(database, migrations: Array(Migration.embedded.prefix(2)), now: 2)

        #expect(raw.query(connections) == before.0)
        #expect(raw.query(history) == before.1, "dropping the old table must not cascade into history")
        let schema = try database.queryFirst("SELECT sql FROM sqlite_schema WHERE name = 'connections'") { $0.text(0) }
        #expect(schema?.hasSuffix("WITHOUT ROWID") == true)
        let indexes = try database.query(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'connections' AND sql IS NOT NULL ORDER BY name"
        ) { $0.text(0) }
        #expect(indexes == ["connections_by_expiry", "connections_by_status", "connections_by_type", "connections_by_uid"])
        // Foreign keys are on again: deleting a connection still deletes its history.
        let first = try #require(database.queryFirst("SELECT id FROM connections ORDER BY id") { UUID(storedText: $0.text(0)) } ?? nil)
        try database.writeTransaction { _ = try database.deleteConnection(id: first) }
        #expect(try database.queryFirst("SELECT count(*) FROM history") { $0.int(0) } == 49)
    }

    /// Migration 3 adds a row version: every row keeps its columns and starts at 0, and every later write of a
    /// connection (recording a run, renaming, sealing its secrets again) adds one.
    @Test func rowVersionsStartAtZeroAndEveryWriteAddsOne() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("v1.db")
        let database = try Self.versionOneDatabase(at: path, connections: 3)
        try Migrator.migrate(database, migrations: Array(Migration.embedded.prefix(2)), now: 2)
        let raw = RawDatabase(path: path)
        let columns = "SELECT id, type_name, name, status, updated_at, sealed FROM connections ORDER BY id"
        let before = raw.query(columns)

        try Migrator.migrate(database, now: 3)

        #expect(raw.query(columns) == before)
        #expect(raw.query("SELECT DISTINCT version FROM connections").map { $0[0].integer } == [0])
        let id = try #require(database.queryFirst("SELECT id FROM connections ORDER BY id") { UUID(storedText: $0.text(0)) } ?? nil)
        func version() throws -> Int64? {
            try database.queryFirst("SELECT version FROM connections WHERE id = ?", [id.storedText]) { $0.int64(0) }
        }
        var connection = try #require(try database.connection(id: id))
        var renamed = connection
        renamed.name = "renamed"
        _ = try database.writeTransaction { try database.updateConnection(from: connection, to: renamed, sealed: nil) }
        #expect(try version() == 1)
        try database.writeTransaction { try database.updateSealedSecrets(id: id.storedText, sealed: [1, 2, 3]) }
        #expect(try version() == 2)
        // A conditional write against a version that moved on writes nothing and says so.
        connection = renamed
        renamed.name = "stale"
        let stale = try database.writeTransaction {
            try database.updateConnection(from: connection, to: renamed, sealed: nil, ifVersion: 1)
        }
        #expect(!stale)
        #expect(try database.connection(id: id)?.name == "renamed")
        #expect(try version() == 2)
        let current = try database.writeTransaction {
            try database.updateConnection(from: connection, to: renamed, sealed: nil, ifVersion: 2)
        }
        #expect(current)
        #expect(try database.connection(id: id)?.name == "stale")
        #expect(try version() == 3)
    }

    /// An `IN (...)` list of more than two values makes SQLite build a temporary B-tree on every execution of a
    /// statement that evaluates it: a CHECK written that way tripled the cost of inserting a history row.
    @Test func writingRowsBuildsNoTemporaryTables() throws {
        let test = try TestVault()
        let raw = RawDatabase(path: test.path)
        let writes = [
            """
            INSERT INTO history (connection_id, at, spec_version, outcome, http_status, duration_ms, error)
            VALUES ('x', 1, 1, 'valid', 200, 3, NULL)
            """,
            """
            INSERT INTO connections (id, type_name, name, status, metadata_type, metadata_value, uid, spec_version,
                                     verified_at, expires_at, created_at, updated_at, last_outcome, last_error, sealed)
            VALUES ('x', 't', 'n', 'valid', 'text', 'm', 'u', 1, 1, NULL, 1, 1, 'valid', NULL, x'00')
            """,
            "UPDATE connections SET status = 'invalid', last_outcome = 'invalid', metadata_type = 'email' WHERE id = 'x'",
        ]
        for sql in writes {
            let opcodes = raw.query("EXPLAIN " + sql).compactMap { $0[1].text }
            #expect(!opcodes.isEmpty)
            #expect(!opcodes.contains("OpenEphemeral"), "\(sql)")
        }
    }

    @Test func aMigrationThatLeavesADanglingReferenceIsRolledBack() throws {
        let directory = TemporaryDirectory()
        let database = try Self.versionOneDatabase(at: directory.file("v1.db"), connections: 3)
        let dangling = Migration(version: 2, name: "drop_types", sql: "DELETE FROM connection_types;")
        #expect {
            try Migrator.migrate(database, migrations: [Migration.embedded[0], dangling], now: 2)
        } throws: { error in
            "\(error)".contains("migration 2 (drop_types)") && "\(error)".contains("connections")
        }
        #expect(try Migrator.appliedVersion(database) == 1)
        #expect(try database.queryFirst("SELECT count(*) FROM connection_types") { $0.int(0) } == 1)
    }
}

@Suite("Stored ids")
struct StoredIDTests {
    @Test func storedTextRoundTripsAndRejectsMalformedText() {
        for _ in 0..<100 {
            let id = UUID()
            #expect(UUID(storedText: id.storedText) == id)
            #expect(id.storedText == id.uuidString.lowercased())
        }
        let upper = UUID()
        #expect(UUID(storedText: upper.uuidString) == upper)  // upper-case digits parse too
        for bad in ["", "xyz", "5f2b9c3e-4d1a-4c8e-9b6f-0a1b2c3d4e5", "5f2b9c3e-4d1a-4c8e-9b6f-0a1b2c3d4e5f0",
                    "5f2b9c3e_4d1a-4c8e-9b6f-0a1b2c3d4e5f", " f2b9c3e-4d1a-4c8e-9b6f-0a1b2c3d4e5f",
                    "+f2b9c3e-4d1a-4c8e-9b6f-0a1b2c3d4e5f", "{5f2b9c3e-4d1a-4c8e-9b6f-0a1b2c3d4e5f}"] {
            #expect(UUID(storedText: bad) == nil, "\(bad)")
        }
    }

    /// Every byte value in every digit position, against a digit-at-a-time reference: hex digits of either case give
    /// their value, anything else (a dash, a letter past "f", a byte that folds into a digit, non-ASCII) no id.
    @Test func everyByteInEveryDigitPositionParsesAsTheReferenceSays() {
        let base = Array("0123456789abcdef0123456789abcdef".utf8)
        let dashes: Set = [8, 13, 18, 23]
        let positions = (0..<36).filter { !dashes.contains($0) }
        func reference(_ digits: [UInt8]) -> UUID? {
            var bytes: [UInt8] = []
            for pair in stride(from: 0, to: 32, by: 2) {
                guard let high = Int(String(UnicodeScalar(digits[pair])), radix: 16),
                    let low = Int(String(UnicodeScalar(digits[pair + 1])), radix: 16)
                else { return nil }
                bytes.append(UInt8(high << 4 | low))
            }
            return bytes.withUnsafeBytes { UUID(uuid: $0.load(as: uuid_t.self)) }
        }
        var mismatches = 0
        for (digitIndex, position) in positions.enumerated() {
            for byte in UInt8.min...UInt8.max {
                var digits = base
                digits[digitIndex] = byte
                var text = digits
                for dash in dashes.sorted() { text.insert(UInt8(ascii: "-"), at: dash) }
                precondition(text.count == 36 && text[position] == byte)
                let parsed = String(validating: text, as: UTF8.self).flatMap { UUID(storedText: $0) }
                let expected = byte < 0x80 ? reference(digits) : nil  // non-ASCII: not valid UTF-8 alone, or no digit
                if parsed != expected { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }
}
