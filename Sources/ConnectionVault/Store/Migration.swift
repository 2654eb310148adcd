/// One schema migration: a `migrations/NNNN_name.sql` file embedded into the binary at build time.
struct Migration: Sendable, Hashable {
    /// The `NNNN` of the file name; versions run 1, 2, 3… without gaps.
    let version: Int
    /// The `name` part of the file name.
    let name: String
    /// The SQL text, applied in one transaction.
    let sql: String
}
