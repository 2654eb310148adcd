/// Applies the embedded schema migrations in order, each in its own `BEGIN IMMEDIATE` transaction.
///
/// Foreign keys are off while migrations run, as SQLite's procedure for rebuilding a table requires (dropping a
/// referenced table would otherwise cascade into the tables referring to it), and each migration's result is
/// checked with `PRAGMA foreign_key_check` before it commits: a migration that would leave a dangling reference
/// is rolled back.
enum Migrator {
    /// The schema version this binary knows: the highest embedded migration.
    static var latestVersion: Int { Migration.embedded.last?.version ?? 0 }

    /// The highest applied version, or 0 for a file with no schema table.
    static func appliedVersion(_ database: Database) throws -> Int {
        guard try database.tableExists("schema_migrations") else { return 0 }
        return try database.queryFirst("SELECT max(version) FROM schema_migrations") { $0.int(0) } ?? 0
    }

    /// Applies every migration above the current version; safe against another process migrating concurrently.
    ///
    /// An up-to-date vault is only read, never written: opening it takes no write lock.
    static func migrate(_ database: Database, migrations: [Migration] = Migration.embedded, now: Int64) throws {
        let applied = try appliedVersion(database)
        let pending = migrations.filter { $0.version > applied }
        guard !pending.isEmpty else { return }
        // Only outside a transaction does this pragma take effect.
        try database.execute("PRAGMA foreign_keys = OFF")
        defer { _ = try? database.execute("PRAGMA foreign_keys = ON") }
        for migration in pending {
            try database.writeTransaction {
                try database.execute(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version    INTEGER PRIMARY KEY,
                        name       TEXT    NOT NULL,
                        applied_at INTEGER NOT NULL
                    ) STRICT;
                    """)
                // Re-read inside the transaction: another process may have applied it meanwhile.
                guard try appliedVersion(database) < migration.version else { return }
                try database.execute(migration.sql)
                if let table = try database.queryFirst("PRAGMA foreign_key_check", row: { $0.text(0) }) {
                    throw VaultError.corruptVault(
                        "migration \(migration.version) (\(migration.name)) would leave rows of \(table) referring to "
                            + "rows that do not exist")
                }
                try database.run(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    migration.version, migration.name, now)
            }
        }
    }
}
