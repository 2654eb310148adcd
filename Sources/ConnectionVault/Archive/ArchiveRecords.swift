import Foundation
import IML

/// Connections and history entries as archive records, and back.
enum ArchiveRecords {
    static func date(_ date: Date?) -> Value { date.map { .number(Number($0.storedMilliseconds)) } ?? .null }

    static func value(_ connection: Connection) -> Value {
        [
            "id": .string(connection.id.storedText), "type": .string(connection.typeName), "name": .string(connection.name),
            "status": .string(connection.status.rawValue),
            "metadata": connection.metadata.map { ["type": .string($0.type.rawValue), "value": .string($0.value)] } ?? .null,
            "uid": connection.uid.map(Value.string) ?? .null, "specVersion": .number(Number(connection.specVersion)),
            "verifiedAt": date(connection.verifiedAt), "expiresAt": date(connection.expiresAt),
            "createdAt": date(connection.createdAt), "updatedAt": date(connection.updatedAt),
            "lastOutcome": connection.lastOutcome.map { .string($0.rawValue) } ?? .null,
            "lastError": connection.lastError.map(Value.string) ?? .null,
        ]
    }

    static func value(_ entry: HistoryEntry) -> Value {
        [
            "at": date(entry.at), "specVersion": .number(Number(entry.specVersion)), "outcome": .string(entry.outcome.rawValue),
            "httpStatus": entry.httpStatus.map { .number(Number($0)) } ?? .null,
            "durationMs": .number(Number(entry.durationMs)), "error": entry.error.map(Value.string) ?? .null,
        ]
    }

    struct TypeRecord {
        var name: String
        var label: String
        var spec: Value
        var common: Object
    }

    struct ConnectionRecord {
        var connection: Connection
        var secrets: ConnectionSecrets
        var history: [HistoryEntry]
    }

    private static func malformed(_ what: String) -> VaultError {
        VaultError.invalidInput("the archive holds a malformed \(what) record")
    }

    static func type(_ record: Value) throws -> TypeRecord {
        guard let name = record["name"]?.stringValue, Vault.isValidTypeName(name), let label = record["label"]?.stringValue,
            let spec = record["spec"], case .object(let common)? = record["common"]
        else { throw malformed("type") }
        return TypeRecord(name: name, label: label, spec: spec, common: common)
    }

    static func connection(_ record: Value) throws -> ConnectionRecord {
        let fields = record["connection"] ?? .undefined
        func date(_ key: String) -> Date? {
            fields[key]?.numberValue?.int64.map(Date.init(storedMilliseconds:))
        }
        guard let idText = fields["id"]?.stringValue, let id = UUID(uuidString: idText),
            let type = fields["type"]?.stringValue, let name = fields["name"]?.stringValue,
            let status = fields["status"]?.stringValue.flatMap(ConnectionStatus.init(rawValue:)),
            let specVersion = fields["specVersion"]?.numberValue?.int64, let created = date("createdAt"),
            let updated = date("updatedAt"), case .object(let parameters)? = record["parameters"],
            case .object(let data)? = record["data"], case .array(let runs)? = record["history"]
        else { throw malformed("connection") }
        var metadata: Metadata?
        if let value = fields["metadata"]?["value"]?.stringValue {
            metadata = Metadata(type: fields["metadata"]?["type"] == "email" ? .email : .text, value: value)
        }
        let connection = Connection(
            id: id, typeName: type, name: name, status: status, metadata: metadata, uid: fields["uid"]?.stringValue,
            specVersion: Int(specVersion), verifiedAt: date("verifiedAt"), expiresAt: date("expiresAt"), createdAt: created,
            updatedAt: updated, lastOutcome: fields["lastOutcome"]?.stringValue.flatMap(Outcome.init(rawValue:)),
            lastError: fields["lastError"]?.stringValue)
        let history = try runs.map { run -> HistoryEntry in
            guard let at = run["at"]?.numberValue?.int64, let outcome = run["outcome"]?.stringValue.flatMap(Outcome.init(rawValue:)),
                let version = run["specVersion"]?.numberValue?.int64, let duration = run["durationMs"]?.numberValue?.int64
            else { throw malformed("history") }
            return HistoryEntry(
                at: Date(storedMilliseconds: at), specVersion: Int(version), outcome: outcome,
                httpStatus: run["httpStatus"]?.numberValue?.int64.map(Int.init), durationMs: Int(duration),
                error: run["error"]?.stringValue)
        }
        return ConnectionRecord(
            connection: connection, secrets: ConnectionSecrets(parameters: parameters, data: data), history: history)
    }
}
