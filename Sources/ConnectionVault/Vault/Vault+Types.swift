import Foundation
public import IML

extension Vault {
    static func commonLocation(_ type: String) -> SealLocation {
        SealLocation(table: "common_data", rowID: type, field: "sealed")
    }

    /// Stores a connection type's spec: version 1 on first import, one more on every later import.
    ///
    /// `spec` is the type's spec without common data; set common data with ``setCommonData(_:forType:)``. It is
    /// checked first as `types import` checks a file, URL rules included: a stored spec is rebuilt later without
    /// judging its URLs again.
    /// - Throws: ``SpecError`` listing every problem of a spec that does not pass; nothing is stored then.
    @discardableResult
    public func importType(name: String, label: String, spec: Value) throws -> ConnectionType {
        guard Self.isValidTypeName(name) else {
            throw VaultError.invalidInput("a type name uses letters, digits, '-' and '_' only (got '\(name)')")
        }
        try ConnectionSpec.checkBeforeStoring(spec, name: name, label: label, source: name)
        let specJSON = spec.compactJSON()
        let now = Date()
        let row = try write { database in
            _ = try database.upsertType(name: name, label: label, specJSON: specJSON, now: now.storedMilliseconds)
            return try database.typeRow(named: name)
        }
        guard let row else { throw VaultError.typeNotFound(name) }
        return ConnectionType(
            name: row.name, label: row.label, version: row.version, importedAt: Date(storedMilliseconds: row.importedAt),
            spec: spec, connectionCount: row.connectionCount)
    }

    /// Every connection type, by name.
    public func types() throws -> [ConnectionType] {
        try read { try $0.typeRows() }.map(Self.connectionType)
    }

    /// The connection type called `name`.
    public func type(named name: String) throws -> ConnectionType {
        try read { database in try type(named: name, in: database) }
    }

    /// The connection type called `name`, read through `database` (inside the caller's transaction).
    func type(named name: String, in database: Database) throws -> ConnectionType {
        guard let row = try database.typeRow(named: name) else { throw VaultError.typeNotFound(name) }
        return try Self.connectionType(row)
    }

    private static func connectionType(_ row: TypeRow) throws -> ConnectionType {
        guard let spec = try? Value(parsingJSON: Array(row.specJSON.utf8)) else {
            throw VaultError.corruptVault("the stored spec of type '\(row.name)' is not JSON")
        }
        return ConnectionType(
            name: row.name, label: row.label, version: row.version, importedAt: Date(storedMilliseconds: row.importedAt),
            spec: spec, connectionCount: row.connectionCount)
    }

    /// Replaces a type's common data (sealed at rest, visible only to that type's verification flow).
    public func setCommonData(_ common: Object, forType type: String) throws {
        let now = Date().storedMilliseconds
        try write { database in
            guard try database.typeRow(named: type) != nil else { throw VaultError.typeNotFound(type) }
            let sealed = try seal(common, at: Self.commonLocation(type), in: database)
            try database.setSealedCommonData(type: type, sealed: sealed, now: now)
        }
    }

    /// A type's decrypted common data; empty when none was set.
    public func commonData(forType type: String) throws -> Object {
        try read { database in try commonData(forType: type, in: database) }
    }

    /// A type's decrypted common data, read through `database` (inside the caller's transaction).
    func commonData(forType type: String, in database: Database) throws -> Object {
        guard try database.typeRow(named: type) != nil else { throw VaultError.typeNotFound(type) }
        guard let sealed = try database.sealedCommonData(type: type) else { return Object() }
        return try open(sealed, at: Self.commonLocation(type), in: database)
    }

    static func isValidTypeName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 200
            && name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_" }
    }
}
