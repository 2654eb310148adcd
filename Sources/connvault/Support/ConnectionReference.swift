import ConnectionVault
import Foundation

/// Resolves the `ID` arguments of cli.md: a full UUID or any unique prefix of one.
enum ConnectionReference {
    static func resolve(_ reference: String, in vault: Vault) throws -> UUID {
        let matches = try vault.connectionIDs(withPrefix: reference, limit: 10)
        if let exact = UUID(uuidString: reference), matches.contains(exact) { return exact }
        switch matches.count {
        case 0:
            throw CommandError("no connection with id '\(reference)'", exitCode: .badInput)
        case 1 where !reference.isEmpty:
            return matches[0]
        default:
            let list = matches.map { $0.uuidString.lowercased() }.joined(separator: ", ")
            throw CommandError("the id prefix '\(reference)' is ambiguous; it matches: \(list)", exitCode: .badInput)
        }
    }
}
