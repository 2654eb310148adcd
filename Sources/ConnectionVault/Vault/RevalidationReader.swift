import Foundation

/// A second connection to the vault's file that loads a revalidation's connections, on its own serial queue.
///
/// With the vault's one connection, a page load waited behind the batch being recorded, its fsync and, every
/// thousand WAL frames, the checkpoint (12–22 ms): the runs ran out of loaded connections meanwhile and both cores
/// idled. In WAL mode a reader never waits for the writer, so loads go on while results are recorded. Each load is
/// its own read transaction and sees every batch committed before it.
final class RevalidationReader: Sendable {
    private let path: String
    private let queue: DatabaseQueue
    private let dispatchQueue = DispatchQueue(label: "connvault.vault.reader")

    /// Opens the connection; the vault's file must exist (it does: the vault is open).
    init(path: String, busyTimeout: Duration) throws {
        self.path = path
        do {
            let database = try Database(path: path, mode: .existing, busyTimeout: busyTimeout)
            try database.execute("PRAGMA query_only = ON")
            queue = DatabaseQueue(database)
        } catch {
            throw Vault.translate(error, path: path)
        }
    }

    /// Closes the reader's connection; later loads throw.
    func close() {
        queue.close()
    }

    /// Copies what the WAL holds into the database file without taking the write lock or waiting for readers (a
    /// PASSIVE checkpoint), on the reader's queue: the writer goes on committing meanwhile. Best effort: whatever
    /// stops it here, a later checkpoint meets again.
    func copyWALIntoFile() async {
        _ = try? await dispatchQueue.run { [queue] in try queue.inDatabase { try $0.checkpointPassive() } }
    }

    /// Runs `body` in a read transaction on the calling thread, blocking it; errors are mapped as the vault maps them.
    func readHere<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch { throw Vault.translate(error, path: path) }
    }

    /// Runs `body` in a read transaction on the reader's queue, off Swift's cooperative pool; errors are mapped
    /// as the vault maps them.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await dispatchQueue.run { [self] in try readHere(body) }
    }
}
