public import ConnectionVault
import Foundation
import IML

extension TestVault {
    /// Imports the types `acme-apikey` and `beta-key` and creates `count` connections covering what `list` prints:
    /// both types, every status, names that need JSON escaping, metadata of both kinds or none, uids and expiry
    /// dates or none, errors from invalid, needs-input and unreachable runs, checks from 30 minutes to 12 hours ago.
    /// Returns every connection as stored, in id order.
    @discardableResult
    public func addListingVariety(_ count: Int) throws -> [Connection] {
        try importAPIKeyType("acme-apikey")
        try importAPIKeyType("beta-key")
        let names = [
            "plain", "quote \" and \\ backslash", "line\nbreak\ttab", "café ü 日本 €", "control \u{01}\u{1f}",
            "  spaced  ", "",
        ]
        let now = Date()
        var batch: [NewConnection] = []
        for index in 0..<count {
            let type = index % 3 == 0 ? "beta-key" : "acme-apikey"
            let name = "\(names[index % names.count])-\(index)"
            let parameters: Object = ["apiKey": .string("key-\(index)")]
            if index % 4 == 3 {
                batch.append(NewConnection(typeName: type, name: name, storage: .unverified(parameters: parameters)))
                continue
            }
            let at = now.addingTimeInterval(-Double(index % 5) * 3 * 3600 - 1800)
            let metadata: Metadata? = switch index % 3 {
            case 0: Metadata(type: .email, value: "user\(index)@example.com")
            case 1: Metadata(value: "ü \u{1F600} \(index)")
            default: nil
            }
            let state = VerifiedState(
                parameters: parameters, data: parameters, metadata: metadata,
                uid: index % 5 == 0 ? nil : "uid-\(index) \u{1F600}",
                expiresAt: index % 2 == 0 ? at.addingTimeInterval(30 * 86_400) : nil)
            let run = HistoryEntry(at: at, specVersion: 1, outcome: .valid, httpStatus: 200, durationMs: 3, error: nil)
            batch.append(NewConnection(typeName: type, name: name, storage: .verified(run, state)))
        }
        let created = try vault.createConnections(batch)
        var results: [(id: UUID, result: RunResult)] = []
        for (index, connection) in created.enumerated() where connection.status == .valid {
            let outcome: Outcome
            let error: String
            switch index % 6 {
            case 1: (outcome, error) = (.invalid, "HTTP 401: \"bad key\" \\ ünïcode \u{1F512}\nsecond line")
            case 2: (outcome, error) = (.needsInput, "the parameter password is missing")
            case 4: (outcome, error) = (.unreachable, "connect to api.example.com timed out")
            default: continue
            }
            let run = HistoryEntry(
                at: now, specVersion: 1, outcome: outcome, httpStatus: nil, durationMs: 9, error: error)
            results.append((connection.id, RunResult(run: run)))
        }
        _ = try vault.record(results)
        return try vault.connections()
    }
}
