internal import CSQLite

extension Vault {
    /// Turns off SQLite's memory statistics for the whole process, so that SQLite's allocations skip a global lock
    /// and its bookkeeping (2% of the instructions of `revalidate --all`).
    ///
    /// SQLite's settings are process-wide, so this is the program's choice, never the library's: call it first
    /// thing, before anything in the process uses SQLite, and only in a program that reads no SQLite memory
    /// statistics and sets no soft heap limit (which relies on them). `connvault` calls it at start. Returns false,
    /// changing nothing, once SQLite is in use.
    @discardableResult
    public static func turnOffSQLiteMemoryStatistics() -> Bool {
        cv_sqlite_config_memstatus(0) == SQLITE_OK
    }
}
