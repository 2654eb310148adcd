import ConnectionVault
import Foundation
import IML

/// The JSON objects of the CLI contract (cli.md "Output"), each with exactly the fields listed there.
enum JSONDocuments {
    /// ISO 8601 in UTC, whole seconds: `2026-12-04T10:00:00Z`.
    static func timestamp(_ date: Date?) -> Value {
        guard let date else { return .null }
        return .string(Timestamps.iso8601(date))
    }

    static func text(_ text: String?) -> Value { text.map(Value.string) ?? .null }

    static func integer(_ value: Int?) -> Value { value.map { .number(Number($0)) } ?? .null }

    /// `list --json` / `show --json` / `find --json`; `data` is added by `show --reveal`.
    ///
    /// `list` and `find` write the same object without building it (`ConnectionListing.appendJSON`); ListOutputTests
    /// keeps the two byte-identical.
    static func connection(_ connection: Connection, data: Object? = nil) -> Value {
        var object: Object = [
            "id": .string(connection.id.uuidString.lowercased()),
            "type": .string(connection.typeName),
            "name": .string(connection.name),
            "status": .string(connection.status.rawValue),
            "metadata": connection.metadata.map {
                ["type": .string($0.type.rawValue), "value": .string($0.value)] as Value
            } ?? .null,
            "uid": text(connection.uid),
            "verifiedAt": timestamp(connection.verifiedAt),
            "expiresAt": timestamp(connection.expiresAt),
            "lastError": text(connection.lastError),
            "specVersion": integer(connection.specVersion),
            "createdAt": timestamp(connection.createdAt),
            "updatedAt": timestamp(connection.updatedAt),
        ]
        if let data { object["data"] = .object(data) }
        return .object(object)
    }

    /// `history --json` entries.
    static func history(_ entry: HistoryEntry) -> Value {
        [
            "at": timestamp(entry.at), "specVersion": integer(entry.specVersion),
            "outcome": .string(entry.outcome.rawValue), "httpStatus": integer(entry.httpStatus),
            "durationMs": integer(entry.durationMs), "error": text(entry.error),
        ]
    }

    /// `types list --json` entries; `types show --json` adds the spec.
    static func type(_ type: ConnectionType, withSpec: Bool = false) -> Value {
        var object: Object = [
            "name": .string(type.name), "label": .string(type.label), "version": integer(type.version),
            "importedAt": timestamp(type.importedAt), "connections": integer(type.connectionCount),
        ]
        if withSpec { object["spec"] = type.spec }
        return .object(object)
    }

    /// Writes one JSON document and a newline to standard output.
    static func print(_ value: Value) {
        StandardStreams.out(value.compactJSON() + "\n")
    }
}
