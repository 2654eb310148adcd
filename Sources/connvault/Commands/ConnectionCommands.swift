import ConnectionVault
import Foundation
import IML

/// `list`, `show`, `rename`, `remove`, `history`, `find`: commands that read or edit stored connections.
enum ConnectionCommands {
    static func list(_ command: ParsedCommand, vault: Vault) throws {
        var filter = ConnectionFilter(typeName: command.string("type"))
        if let status = command.string("status") {
            guard let known = ConnectionStatus(rawValue: status) else {
                throw CommandError(
                    "unknown status '\(status)' (expected one of "
                        + ConnectionStatus.allCases.map(\.rawValue).joined(separator: ", ") + ")", exitCode: .badInput)
            }
            filter.status = known
        }
        // A page at a time, printed as it is read: memory stays flat however many connections there are.
        try ConnectionListing.write({ try vault.forEachConnection(filter, $0) }, json: command.flag("json"))
    }

    static func find(_ command: ParsedCommand, vault: Vault) throws {
        let found = try vault.connections(uid: command.string("uid") ?? "", typeName: command.string("type"))
        try ConnectionListing.write({ try found.forEach($0) }, json: command.flag("json"))
    }

    static func show(_ command: ParsedCommand, vault: Vault) throws {
        let id = try ConnectionReference.resolve(command.string("id") ?? "", in: vault)
        let connection = try vault.connection(id)
        let data = command.flag("reveal") ? try vault.data(of: id) : nil
        if command.flag("json") { return JSONDocuments.print(JSONDocuments.connection(connection, data: data)) }
        var lines = [
            "ID:            \(connection.id.uuidString.lowercased())",
            "Type:          \(connection.typeName) (spec version \(connection.specVersion))",
            "Name:          \(connection.name)",
            "Status:        \(connection.status.rawValue)",
            "Account:       \(connection.metadata.map { "\($0.value) (\($0.type.rawValue))" } ?? "-")",
            "UID:           \(connection.uid ?? "-")",
            "Verified:      \(RelativeTime.describe(connection.verifiedAt))",
            "Expires:       \(connection.expiresAt.map { RelativeTime.describe($0) } ?? "-")",
            "Last outcome:  \(connection.lastOutcome?.rawValue ?? "-")",
            "Last error:    \(connection.lastError ?? "-")",
            "Created:       \(RelativeTime.describe(connection.createdAt))",
        ]
        if let data { lines.append("Data:          \(Value.object(data).compactJSON())") }
        StandardStreams.out(lines.joined(separator: "\n") + "\n")
    }

    static func rename(_ command: ParsedCommand, vault: Vault) throws {
        let id = try ConnectionReference.resolve(command.string("id") ?? "", in: vault)
        let name = command.string("name") ?? ""
        guard !name.isEmpty else { throw CommandError("the new name is empty", exitCode: .badInput) }
        try vault.rename(id, to: name)
        StandardStreams.out("Renamed \(id.uuidString.lowercased()) to \(name)\n")
    }

    static func remove(_ command: ParsedCommand, vault: Vault) throws {
        let ids = try command.strings("id").map { try ConnectionReference.resolve($0, in: vault) }
        if !command.flag("yes") {
            guard Terminal.standardInputIsTerminal else {
                throw command.usageError("remove needs --yes when standard input is not a terminal")
            }
            let names = try ids.map { try vault.connection($0).name }.joined(separator: ", ")
            StandardStreams.error("Remove \(ids.count) connection(s): \(names)? [y/N] ")
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                throw CommandError("nothing removed")
            }
        }
        for id in ids {
            try vault.remove(id)
            StandardStreams.out("Removed \(id.uuidString.lowercased())\n")
        }
    }

    static func history(_ command: ParsedCommand, vault: Vault) throws {
        let id = try ConnectionReference.resolve(command.string("id") ?? "", in: vault)
        let entries = try vault.history(of: id, limit: command.int("limit"))
        if command.flag("json") { return JSONDocuments.print(.array(entries.map(JSONDocuments.history))) }
        var table = Table("WHEN", "OUTCOME", "HTTP", "DURATION", "SPEC", "ERROR")
        for entry in entries {
            table.add(
                JSONDocuments.timestamp(entry.at).stringValue ?? "", entry.outcome.rawValue,
                entry.httpStatus.map(String.init) ?? "-", "\(entry.durationMs) ms", "v\(entry.specVersion)",
                entry.error ?? "")
        }
        StandardStreams.out(table.text)
    }
}
