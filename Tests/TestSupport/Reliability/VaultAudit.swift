public import ConnectionVault
import Foundation
public import IML

/// Everything that must hold of a vault file after any fault (a kill, a full disk, a refused command), checked
/// from outside as a fresh process would: the file is sound, every sealed value opens, every row is whole.
public struct VaultAudit: Sendable {
    /// The facts gathered, for comparisons across faults.
    public struct Snapshot: Sendable, Equatable {
        /// Connection ids (lower-case) → the decrypted data collection's compact JSON.
        public var data: [String: String] = [:]
        /// Connection ids → how many history rows they have.
        public var historyCounts: [String: Int] = [:]
        /// The data key versions in `data_keys`, ascending.
        public var keyVersions: [Int] = []
        /// The key version of every sealed value (connections and common data), as written in its header.
        public var sealedVersions: Set<Int> = []
        /// Common data by type name, compact JSON.
        public var common: [String: String] = [:]

        /// All history rows together.
        public var historyTotal: Int { historyCounts.values.reduce(0, +) }
    }

    public let path: String
    public let keyBase64: String

    public init(path: String, keyBase64: String) {
        self.path = path
        self.keyBase64 = keyBase64
    }

    /// Checks the vault and returns what it holds, or every problem found.
    ///
    /// - `integrity_check` and `foreign_key_check` report nothing;
    /// - every sealed value names an existing data key; the vault opens and every value (connections' secrets,
    ///   common data) decrypts;
    /// - for each connection with history, the newest run agrees with the connection's `last_outcome` (a row
    ///   written without its history, or the other way round, would break this);
    /// - `expect`, when given, accepts each connection's decrypted data collection (return a problem or nil).
    public func check(expect: (@Sendable (Connection, Object) -> String?)? = nil) -> Result<Snapshot, Problems> {
        var problems: [String] = []
        var snapshot = Snapshot()
        let raw = RawDatabase(path: path)
        do {
            let integrity = try raw.attempt("PRAGMA integrity_check").compactMap { $0.first?.text }
            if integrity != ["ok"] { problems.append("integrity_check: \(integrity.prefix(5))") }
            let foreign = try raw.attempt("PRAGMA foreign_key_check")
            if !foreign.isEmpty { problems.append("foreign_key_check: \(foreign.count) rows") }
            snapshot.keyVersions = try raw.attempt("SELECT version FROM data_keys ORDER BY version").compactMap { $0[0].integer }
            for row in try raw.attempt("SELECT sealed FROM connections UNION ALL SELECT sealed FROM common_data") {
                guard let blob = row[0].blob, blob.count > 5, blob[0] == 1 else {
                    problems.append("a sealed value has no format-1 header")
                    continue
                }
                snapshot.sealedVersions.insert(blob[1...4].reduce(0) { $0 << 8 | Int($1) })
            }
            if !snapshot.sealedVersions.isSubset(of: snapshot.keyVersions) {
                problems.append("sealed under key versions \(snapshot.sealedVersions.sorted()), vault holds \(snapshot.keyVersions)")
            }
            let newest = try raw.attempt(
                """
                SELECT c.id, c.last_outcome, h.outcome, (SELECT count(*) FROM history WHERE connection_id = c.id)
                FROM connections c LEFT JOIN history h ON h.id = (SELECT max(id) FROM history WHERE connection_id = c.id)
                """)
            for row in newest {
                let id = row[0].text ?? "?"
                snapshot.historyCounts[id] = row[3].integer ?? 0
                if let outcome = row[2].text, outcome != row[1].text {
                    problems.append("connection \(id): last_outcome \(row[1]) but its newest run is \(outcome)")
                }
            }
        } catch {
            problems.append("reading the file: \(error)")
            return .failure(Problems(list: problems))
        }
        do {
            let vault = try Vault.open(at: path, key: .base64(keyBase64))
            for connection in try vault.connections() {
                let id = connection.id.uuidString.lowercased()
                do {
                    let secrets = try vault.secrets(of: connection.id)
                    snapshot.data[id] = Value.object(secrets.data).compactJSON()
                    if let problem = expect?(connection, secrets.data) { problems.append("connection \(connection.name): \(problem)") }
                } catch {
                    problems.append("connection \(connection.name) does not decrypt: \(error)")
                }
            }
            for type in try vault.types() {
                do {
                    snapshot.common[type.name] = Value.object(try vault.commonData(forType: type.name)).compactJSON()
                } catch {
                    problems.append("the common data of \(type.name) does not decrypt: \(error)")
                }
            }
        } catch {
            problems.append("opening the vault: \(error)")
        }
        return problems.isEmpty ? .success(snapshot) : .failure(Problems(list: problems))
    }

    /// The problems a check found.
    public struct Problems: Error, Sendable, CustomStringConvertible {
        public let list: [String]
        public var description: String { list.joined(separator: "\n") }
    }

    /// The rule VaultStress and the reliability tests follow: `apiKey` is "key-" + the connection's name.
    @Sendable public static func apiKeyMatchesName(_ connection: Connection, _ data: Object) -> String? {
        data["apiKey"] == .string("key-\(connection.name)") ? nil : "apiKey does not match the name"
    }
}
