internal import CSQLite
internal import Glibc

/// One SQLite connection. Owns the `sqlite3` handle and its cached statements; not thread-safe.
///
/// ``DatabaseQueue`` is the single thread-safe owner that serialises access to it.
final class Database {
    /// How to open the file.
    enum OpenMode {
        /// The file must exist.
        case existing
        /// Create the file (the caller has already created it with the right mode) and set up WAL.
        case create
    }

    let handle: OpaquePointer
    private var statements: [String: Statement] = [:]
    /// Statements cached by the address of a literal and a variant number (0 for a literal's own text).
    private var literalStatements: [LiteralKey: Statement] = [:]

    private struct LiteralKey: Hashable {
        let literal: Int
        let variant: Int
    }
    /// The statement observer installed by ``observeStatements(_:)``, kept alive while installed.
    var observerBox: StatementObserver?
    /// The busy timeout the connection waits for locks, in milliseconds.
    let busyTimeoutMilliseconds: Int32
    /// How long the current wait for a lock may last: the busy timeout, or less while a checkpoint waits.
    var lockWaitMilliseconds: Int32
    /// When the current wait for a lock began (the busy handler's first call for it).
    var lockWaitStarted: ContinuousClock.Instant?

    /// A commit that leaves at least this many frames in the WAL checkpoints it (SQLite's automatic threshold).
    static let checkpointFrames: Int32 = 1000
    /// How long that checkpoint waits for readers still reading the WAL before it settles for what it could copy.
    static let checkpointWaitMilliseconds: Int32 = 250

    init(path: String, mode: OpenMode, busyTimeout: Duration) throws(DatabaseError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
            | (mode == .create ? SQLITE_OPEN_CREATE : 0)
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw DatabaseError(code: code, message: message, operation: "open")
        }
        self.handle = handle
        busyTimeoutMilliseconds = Int32(clamping: busyTimeout.wholeMilliseconds)
        lockWaitMilliseconds = busyTimeoutMilliseconds
        sqlite3_busy_handler(handle, waitForLock, Unmanaged.passUnretained(self).toOpaque())
        // Replaces SQLite's automatic PASSIVE checkpoint, which never gets to restart the WAL while readers in other
        // processes keep reading it (checkpoint starvation: the WAL then grows without bound).
        sqlite3_wal_hook(handle, checkpointAfterCommit, Unmanaged.passUnretained(self).toOpaque())
        var ignored: Int32 = 0
        _ = cv_sqlite_db_config_int(handle, SQLITE_DBCONFIG_DEFENSIVE, 1, &ignored)
        _ = cv_sqlite_db_config_int(handle, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &ignored)
        try execute(
            """
            PRAGMA foreign_keys = ON;
            PRAGMA synchronous = FULL;
            PRAGMA secure_delete = ON;
            """)
        if mode == .create {
            try execute("PRAGMA journal_mode = WAL;")
        }
    }

    deinit {
        if observerBox != nil { sqlite3_trace_v2(handle, 0, nil, nil) }
        literalStatements.removeAll()
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// A ``DatabaseError`` for `code`, with SQLite's current message.
    ///
    /// For I/O failures SQLite's message ("disk I/O error") does not say why: the system's reason is added
    /// ("disk I/O error (No space left on device)").
    func error(_ code: Int32, operation: String) -> DatabaseError {
        var message = String(cString: sqlite3_errmsg(handle))
        if [SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY].contains(code & 0xff) {
            let system = sqlite3_system_errno(handle)
            if system != 0 { message += " (\(String(cString: strerror(system))))" }
        }
        return DatabaseError(code: code, message: message, operation: operation)
    }

    /// Runs SQL text that may hold several statements and binds nothing (schema, pragmas).
    func execute(_ sql: String) throws(DatabaseError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code, operation: "execute") }
    }

    /// The cached statement for `sql`, prepared on first use.
    func statement(_ sql: String) throws(DatabaseError) -> Statement {
        if let cached = statements[sql] { return cached }
        return try prepare(sql)
    }

    /// The cached statement for a literal `sql`, looked up by the literal's address: the hot path skips
    /// hashing the SQL text on every call.
    func statement(_ sql: StaticString) throws(DatabaseError) -> Statement {
        try statement(sql, variant: 0) { sql.description }
    }

    /// The cached statement for variant `variant` of `template`; `sql` builds its text on first use only, so a
    /// statement whose text depends on its input (an UPDATE of the changed columns) is neither rebuilt nor hashed.
    func statement(_ template: StaticString, variant: Int, sql: () -> String) throws(DatabaseError) -> Statement {
        let key = LiteralKey(literal: Int(bitPattern: template.utf8Start), variant: variant)
        if let cached = literalStatements[key] { return cached }
        let statement = try statement(sql())
        literalStatements[key] = statement
        return statement
    }

    private func prepare(_ sql: String) throws(DatabaseError) -> Statement {
        let statement = try Statement(database: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs one statement with bound `values` to completion; returns the number of rows changed.
    @discardableResult
    func run(_ sql: String, _ values: any DatabaseValueConvertible...) throws(DatabaseError) -> Int {
        let statement = try statement(sql)
        try statement.bind(values)
        defer { statement.finish() }
        while try statement.step() {}
        return changes
    }

    /// The number of rows the last finished INSERT, UPDATE or DELETE changed.
    var changes: Int { Int(sqlite3_changes64(handle)) }

    /// Runs a query with bound `values` and maps every row.
    func query<T>(
        _ sql: String, _ values: [any DatabaseValueConvertible] = [], row: (Statement) throws -> T
    ) throws -> [T] {
        let statement = try statement(sql)
        try statement.bind(values)
        defer { statement.finish() }
        var rows: [T] = []
        while try statement.step() { rows.append(try row(statement)) }
        return rows
    }

    /// Runs a query with bound `values` and maps its first row, if any.
    func queryFirst<T>(
        _ sql: String, _ values: [any DatabaseValueConvertible] = [], row: (Statement) throws -> T
    ) throws -> T? {
        let statement = try statement(sql)
        try statement.bind(values)
        defer { statement.finish() }
        return try statement.step() ? row(statement) : nil
    }

    /// Whether a table of that name exists.
    func tableExists(_ name: String) throws -> Bool {
        try queryFirst("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", [name]) { _ in true } ?? false
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back when it throws.
    ///
    /// The first error is the one thrown, never the rollback's.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        let result: T
        do {
            result = try body()
            try execute("COMMIT")
        } catch {
            if sqlite3_get_autocommit(handle) == 0 { _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
            throw error
        }
        return result
    }

    /// Runs `body` in a read transaction, so that all its queries see one snapshot.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        defer { _ = sqlite3_exec(handle, "COMMIT", nil, nil, nil) }
        return try body()
    }

    /// Copies the WAL into the database file and truncates the WAL to zero bytes, waiting for other connections'
    /// locks at most `limit` milliseconds (at most the busy timeout; the busy timeout when nil).
    ///
    /// Returns false when readers in other processes kept part of the WAL alive past the wait (SQLITE_BUSY): what
    /// could be copied then was, as in SQLite's PASSIVE mode.
    @discardableResult
    func checkpointTruncate(waitingAtMost limit: Int32? = nil) throws(DatabaseError) -> Bool {
        if let limit { lockWaitMilliseconds = min(busyTimeoutMilliseconds, limit) }
        defer { lockWaitMilliseconds = busyTimeoutMilliseconds }
        var logFrames: Int32 = 0
        var checkpointed: Int32 = 0
        let code = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_TRUNCATE, &logFrames, &checkpointed)
        if code == SQLITE_BUSY { return false }
        guard code == SQLITE_OK else { throw error(code, operation: "checkpoint") }
        return true
    }

    /// Copies the WAL's committed frames into the database file as far as readers allow, without the write lock
    /// (SQLite's PASSIVE checkpoint): the WAL is not reset, and writers go on meanwhile.
    func checkpointPassive() throws(DatabaseError) {
        let code = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        guard code == SQLITE_OK else { throw error(code, operation: "checkpoint") }
    }
}

/// A connection is used by one thread at a time, through ``DatabaseQueue``; it never crosses threads alone.
@available(*, unavailable)
extension Database: Sendable {}

/// After a commit that leaves `frames` frames in the WAL (at least ``Database/checkpointFrames``): a TRUNCATE
/// checkpoint. Readers that start once every frame is copied read the database file only, so the checkpoint waits
/// just for the reads already in flight (at most ``Database/checkpointWaitMilliseconds``), then resets the WAL to
/// zero bytes. When a reader outlasts the wait, it copies what it can, like a PASSIVE checkpoint, and the next
/// commit tries again. Without the wait, eight busy readers kept the WAL from ever restarting (it grew to 200 MB in
/// 30 seconds on a 5 MB vault).
private func checkpointAfterCommit(
    _ context: UnsafeMutableRawPointer?, _ handle: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ frames: Int32
) -> Int32 {
    guard frames >= Database.checkpointFrames, let context else { return SQLITE_OK }
    let database = Unmanaged<Database>.fromOpaque(context).takeUnretainedValue()
    _ = try? database.checkpointTruncate(waitingAtMost: Database.checkpointWaitMilliseconds)
    return SQLITE_OK
}

/// SQLite's busy handler: waits for a lock another connection holds, up to ``Database/lockWaitMilliseconds``, in
/// short random sleeps (0.2–1 ms). SQLite's own `busy_timeout` backs off to 100 ms sleeps, and a process waiting
/// for the write lock that way rarely finds it free while another process writes again and again: `key rotate`
/// waited 5–25 s behind a busy writer, and under load a writer gave up after 30 s with "database is locked".
private func waitForLock(_ context: UnsafeMutableRawPointer?, _ attempt: Int32) -> Int32 {
    guard let context else { return 0 }
    let database = Unmanaged<Database>.fromOpaque(context).takeUnretainedValue()
    let now = ContinuousClock.now
    if attempt == 0 || database.lockWaitStarted == nil { database.lockWaitStarted = now }
    guard let started = database.lockWaitStarted, now - started < .milliseconds(database.lockWaitMilliseconds) else {
        return 0
    }
    usleep(UInt32.random(in: 200...1000))
    return 1
}
