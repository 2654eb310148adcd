extension Vault {
    /// How many connections ``forEachConnection(_:pageSize:_:)`` reads from the database at a time by default.
    public static let listingPageSize = 500

    /// Calls `body` with every connection matching `filter`, in id order, reading them a page at a time.
    ///
    /// Memory stays flat however many connections the vault holds: only one page (`pageSize` connections) is in
    /// memory at once. Pages are found by id (keyset pagination: `WHERE id > last ORDER BY id LIMIT pageSize`), each
    /// read by one statement, and `body` runs between them with no lock taken and no transaction open, so a slow
    /// consumer — a full pipe — never holds up other threads or writers in other processes. The listing is therefore
    /// not one snapshot: a connection created or removed while it runs may or may not appear, and one changed may
    /// appear as it was or as it became; none appears twice and the order is always ascending by id. Decrypts
    /// nothing. An error thrown by `body` ends the listing and is rethrown.
    ///
    /// Use ``connections(_:)`` for one consistent snapshot of a listing small enough to hold.
    public func forEachConnection(
        _ filter: ConnectionFilter = .all, pageSize: Int = Vault.listingPageSize, _ body: (Connection) throws -> Void
    ) throws {
        precondition(pageSize > 0, "a page holds at least one connection")
        var after = ""  // every stored id sorts after the empty string
        var firstPage = true
        while true {
            let page = try access { [after, firstPage] database in
                try database.connectionPage(filter, after: after, limit: pageSize, useFilterIndexes: firstPage)
            }
            for connection in page.connections { try body(connection) }
            guard let lastID = page.lastID else { return }
            after = lastID
            firstPage = false
        }
    }
}
