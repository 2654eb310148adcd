import Foundation
import IML

/// What an import changed.
public struct ImportReport: Sendable, Hashable {
    public var types: Int
    public var connections: Int
    public var historyEntries: Int
}

extension Vault {
    /// Writes an encrypted archive of every type (with its common data), connection (with its secrets) and
    /// history entry, under a key derived from `passphrase`. Refuses to overwrite an existing file.
    public func exportArchive(to path: String, passphrase: SecureBytes, hardness: PassphraseHardness? = nil) throws {
        guard passphrase.count > 0 else { throw VaultError.invalidInput("the archive passphrase is empty") }
        let writer = try ArchiveStream.Writer(
            path: path, passphrase: passphrase, hardness: hardness ?? options.passphraseHardness)
        do {
            try writer.push(Array(#"{"kind":"connvault-archive","version":1}"#.utf8))
            for type in try types() {
                let record: Value = [
                    "kind": "type", "name": .string(type.name), "label": .string(type.label), "spec": type.spec,
                    "common": .object(try commonData(forType: type.name)),
                ]
                try writer.push(Array(record.compactJSON().utf8))
            }
            for connection in try connections() {
                let secrets = try secrets(of: connection.id)
                let record: Value = [
                    "kind": "connection", "connection": ArchiveRecords.value(connection),
                    "parameters": .object(secrets.parameters), "data": .object(secrets.data),
                    "history": .array(try history(of: connection.id).map(ArchiveRecords.value)),
                ]
                var bytes = Array(record.compactJSON().utf8)
                try writer.push(bytes)
                Sodium.wipe(&bytes)
            }
            try writer.push(Array(#"{"kind":"end"}"#.utf8), final: true)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Reads an archive back as upserts: types are imported (their version goes up), connections replace those
    /// with the same id, history included. The archive is checked whole before anything is written, and
    /// everything is written in one transaction.
    @discardableResult
    public func importArchive(from path: String, passphrase: SecureBytes) throws -> ImportReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VaultError.invalidInput("cannot read the archive \(path)")
        }
        let messages = try ArchiveStream.read(Array(data), passphrase: passphrase)
        let records = try messages.map { message -> Value in
            guard let value = try? Value(parsingJSON: message), value["kind"]?.stringValue != nil else {
                throw VaultError.invalidInput("the archive holds a malformed record")
            }
            return value
        }
        guard records.first?["kind"] == "connvault-archive", records.last?["kind"] == "end" else {
            throw VaultError.invalidInput("the archive does not start and end as a connvault archive")
        }
        let types = try records.filter { $0["kind"] == "type" }.map(ArchiveRecords.type)
        for type in types {
            try ConnectionSpec.checkBeforeStoring(
                type.spec, name: type.name, label: type.label, source: "the archive's type '\(type.name)'")
        }
        let connections = try records.filter { $0["kind"] == "connection" }.map(ArchiveRecords.connection)
        let now = Date().storedMilliseconds
        return try write { database in
            for type in types {
                _ = try database.upsertType(name: type.name, label: type.label, specJSON: type.spec.compactJSON(), now: now)
                try database.setSealedCommonData(
                    type: type.name, sealed: try seal(type.common, at: Self.commonLocation(type.name), in: database), now: now)
            }
            var history = 0
            for entry in connections {
                guard try database.typeRow(named: entry.connection.typeName) != nil else {
                    throw VaultError.invalidInput("the archive's connection \(entry.connection.id) has an unknown type")
                }
                _ = try database.deleteConnection(id: entry.connection.id)
                try database.insertConnection(entry.connection, sealed: try sealSecrets(entry.secrets, id: entry.connection.id, in: database))
                for run in entry.history.reversed() { try database.insertHistory(run, connectionID: entry.connection.id) }
                history += entry.history.count
            }
            return ImportReport(types: types.count, connections: connections.count, historyEntries: history)
        }
    }
}
