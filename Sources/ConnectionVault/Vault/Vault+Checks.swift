import Foundation

extension Vault {
    /// Tries to open every sealed value (connections' secrets, common data) and returns each failure.
    ///
    /// One value that does not open never hides the others: the check goes on and reports them all.
    public func unreadableValues() throws -> [SealingError] {
        try read { database in
            var failures: [SealingError] = []
            let reload = database.wrappedDataKeys
            func check(_ sealed: [UInt8], _ location: SealLocation) throws {
                do {
                    try keys.open(sealed, at: location, reload: reload) { _ in }
                } catch let error as SealingError {
                    failures.append(error)
                }
            }
            for (id, sealed) in try database.allSealedSecrets() {
                try check(sealed, SealLocation(table: "connections", rowID: id, field: "sealed"))
            }
            for (type, sealed) in try database.allSealedCommonData() {
                try check(sealed, Self.commonLocation(type))
            }
            return failures
        }
    }

    /// SQLite's `PRAGMA integrity_check`: empty when the file is sound, else its findings.
    public func integrityProblems() throws -> [String] {
        try read { database in
            try database.query("PRAGMA integrity_check") { $0.text(0) }.filter { $0 != "ok" }
        }
    }

    /// The schema version the vault is at.
    public func schemaVersion() throws -> Int {
        try access { try Migrator.appliedVersion($0) }
    }
}
