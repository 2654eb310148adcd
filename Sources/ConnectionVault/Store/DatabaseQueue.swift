internal import CSQLite
import Synchronization

/// The single thread-safe owner of a ``Database``: every access is serialised by a mutex.
///
/// Closures receive the connection for the duration of the call only: they are `@Sendable` and return
/// `Sendable` values, so the handle cannot escape the lock.
final class DatabaseQueue: Sendable {
    /// The connection; nil once ``close()`` ran.
    private let database: Mutex<Database?>

    init(_ database: consuming sending Database) {
        self.database = Mutex(database)
    }

    /// Runs `body` with exclusive use of the connection, outside any transaction; throws `SQLITE_MISUSE` once the
    /// connection is closed.
    func inDatabase<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try database.withLock { database throws -> T in
            guard let database else {
                throw DatabaseError(code: SQLITE_MISUSE, message: "the connection is closed", operation: "use")
            }
            return try body(database)
        }
    }

    /// Closes the connection now, waiting for a call in progress; later calls throw.
    func close() {
        database.withLock { $0 = nil }
    }

    /// Runs `body` in a read transaction (one consistent snapshot).
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try inDatabase { database in try database.readTransaction { try body(database) } }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` write transaction.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try inDatabase { database in try database.writeTransaction { try body(database) } }
    }
}
