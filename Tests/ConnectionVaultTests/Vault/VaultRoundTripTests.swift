import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Vault round trips")
struct VaultRoundTripTests {
    @Test func typesImportListAndVersion() throws {
        let test = try TestVault()
        let first = try test.importAPIKeyType()
        #expect(first.version == 1 && first.name == "acme-apikey" && first.label == "Acme (API key)")
        let second = try test.vault.importType(name: "acme-apikey", label: "Acme v2", spec: TestVault.apiKeySpec)
        #expect(second.version == 2 && second.label == "Acme v2")
        try test.vault.importType(name: "basic_2", label: "Basic", spec: ["communication": ["url": "https://b.test"]])
        let types = try test.reopen().types()
        #expect(types.map(\.name) == ["acme-apikey", "basic_2"])
        #expect(types[0].spec == TestVault.apiKeySpec && types[0].version == 2)
        #expect(throws: VaultError.typeNotFound("nope")) { try test.vault.type(named: "nope") }
        #expect(throws: VaultError.self) { try test.vault.importType(name: "bad name!", label: "x", spec: [:]) }
    }

    @Test func commonDataIsSealedAndReadBack() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        #expect(try test.vault.commonData(forType: "acme-apikey").isEmpty)
        try test.vault.setCommonData(["clientSecret": "s3cr3t", "n": 5], forType: "acme-apikey")
        try test.vault.setCommonData(["clientSecret": "rotated"], forType: "acme-apikey")
        let common = try test.reopen().commonData(forType: "acme-apikey")
        #expect(Value.object(common) == ["clientSecret": "rotated"])
        #expect(throws: VaultError.typeNotFound("nope")) { try test.vault.setCommonData([:], forType: "nope") }
    }

    @Test func createVerifiedConnectionAndReadItsData() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        let created = try test.addVerified(name: "jane@example.com", apiKey: "k-1", uid: "9007199254740993",
                                           extra: ["token": "t-1", "big": .number(Number(integerText: "9007199254740993")!)])
        #expect(created.status == .valid && created.uid == "9007199254740993" && created.specVersion == 1)
        #expect(created.metadata == Metadata(value: "jane@example.com"))
        #expect(created.verifiedAt != nil && created.lastOutcome == .valid && created.lastError == nil)
        let vault = try test.reopen()
        #expect(try vault.connection(created.id) == created)
        let data = try vault.data(of: created.id)
        #expect(data.keys == ["apiKey", "token", "big"])
        #expect(Value.object(data).compactJSON() == #"{"apiKey":"k-1","token":"t-1","big":9007199254740993}"#)
        #expect(Value.object(try vault.secrets(of: created.id).parameters) == ["apiKey": "k-1"])
        let history = try vault.history(of: created.id)
        #expect(history.count == 1 && history[0].outcome == .valid && history[0].httpStatus == 200)
    }

    @Test func createUnverifiedAndRefuseFailedRuns() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        let connection = try test.vault.createConnection(
            NewConnection(typeName: "acme-apikey", name: "later", storage: .unverified(parameters: ["apiKey": "k"])))
        #expect(connection.status == .unverified && connection.verifiedAt == nil)
        #expect(try test.vault.history(of: connection.id).isEmpty)
        #expect(Value.object(try test.vault.data(of: connection.id)) == ["apiKey": "k"])
        let failed = HistoryEntry(at: Date(), specVersion: 1, outcome: .invalid, httpStatus: 401, durationMs: 3, error: "no")
        #expect(throws: VaultError.self) {
            try test.vault.createConnection(NewConnection(
                typeName: "acme-apikey", name: "x", storage: .verified(failed, VerifiedState(parameters: [:], data: [:]))))
        }
        #expect(throws: VaultError.typeNotFound("ghost")) {
            try test.vault.createConnection(NewConnection(typeName: "ghost", name: "x", storage: .unverified(parameters: [:])))
        }
        #expect(try test.vault.connections().count == 1)
    }

    @Test func listFilterFindByUIDRenameRemove() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        try test.importAPIKeyType("other")
        let a = try test.addVerified(name: "a", apiKey: "k-a", uid: "1")
        let b = try test.addVerified(name: "b", apiKey: "k-b", uid: "2")
        let c = try test.addVerified(type: "other", name: "c", apiKey: "k-c", uid: "1")
        let all = try test.vault.connections()
        #expect(all.map(\.id.uuidString) == [a, b, c].map(\.id.uuidString).sorted { $0.lowercased() < $1.lowercased() })
        #expect(Set(try test.vault.connections(uid: "1").map(\.id)) == [a.id, c.id])
        #expect(try test.vault.connections(uid: "1", typeName: "other").map(\.id) == [c.id])
        #expect(try test.vault.connections(ConnectionFilter(typeName: "acme-apikey")).count == 2)
        try test.vault.record(RunResult(run: run(.invalid, error: "401")), for: b.id)
        #expect(try test.vault.connections(ConnectionFilter(status: .invalid)).map(\.id) == [b.id])
        #expect(try test.vault.types().first { $0.name == "acme-apikey" }?.connectionCount == 2)

        try test.vault.rename(a.id, to: "renamed")
        #expect(try test.vault.connection(a.id).name == "renamed")
        try test.vault.remove(a.id)
        #expect(throws: VaultError.connectionNotFound(a.id.uuidString.lowercased())) { try test.vault.connection(a.id) }
        #expect(throws: VaultError.connectionNotFound(a.id.uuidString.lowercased())) { try test.vault.data(of: a.id) }
        #expect(throws: VaultError.connectionNotFound(a.id.uuidString.lowercased())) { try test.vault.remove(a.id) }
        #expect(RawDatabase(path: test.path).query("SELECT count(*) FROM history WHERE connection_id = ?",
                                                   [a.id.uuidString.lowercased()])[0][0] == .integer(0))
        #expect(try test.vault.connections().count == 2)
    }

    @Test func idPrefixes() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        let ids = try (0..<20).map { try test.addVerified(name: "n\($0)", apiKey: "k", uid: "\($0)").id }
        let one = ids[0]
        #expect(try test.vault.connectionIDs(withPrefix: one.uuidString.lowercased()) == [one])
        #expect(try test.vault.connectionIDs(withPrefix: String(one.uuidString.prefix(13))) == [one])
        #expect(try test.vault.connectionIDs(withPrefix: "", limit: 100).count == 20)
        #expect(try test.vault.connectionIDs(withPrefix: "*").isEmpty)
        #expect(try test.vault.connectionIDs(withPrefix: "zz").isEmpty)
    }

    func run(_ outcome: Outcome, status: Int? = 200, error: String? = nil, at: Date = Date()) -> HistoryEntry {
        HistoryEntry(at: at, specVersion: 1, outcome: outcome, httpStatus: status, durationMs: 5, error: error)
    }

    @Test func recordingRunsFollowsTheOutcomeRules() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        let c = try test.addVerified(name: "jane", apiKey: "k-1", uid: "42", extra: ["token": "t-1"])
        let stored = try test.vault.secrets(of: c.id)

        let invalid = try test.vault.record(RunResult(run: run(.invalid, status: 401, error: "Unauthorized")), for: c.id)
        #expect(invalid.status == .invalid && invalid.lastOutcome == .invalid && invalid.lastError == "Unauthorized")
        #expect(try test.vault.secrets(of: c.id) == stored)

        let unreachable = try test.vault.record(RunResult(run: run(.unreachable, status: nil, error: "timeout")), for: c.id)
        #expect(unreachable.status == .invalid && unreachable.lastOutcome == .unreachable && unreachable.lastError == "timeout")

        let needs = try test.vault.record(RunResult(run: run(.needsInput, status: nil, error: "password")), for: c.id)
        #expect(needs.status == .needsInput)
        #expect(try test.vault.secrets(of: c.id) == stored)

        let later = Date().addingTimeInterval(60)
        let state = VerifiedState(parameters: ["apiKey": "k-1"], data: ["apiKey": "k-1", "token": "t-2"],
                                  metadata: Metadata(type: .email, value: "j@x.test"), uid: "42",
                                  expiresAt: later.addingTimeInterval(3600))
        let valid = try test.vault.record(RunResult(run: run(.valid, at: later), verified: state), for: c.id)
        #expect(valid.status == .valid && valid.metadata?.type == .email && valid.lastError == nil)
        #expect(valid.expiresAt != nil && valid.verifiedAt != nil)
        #expect(Value.object(try test.vault.data(of: c.id)) == ["apiKey": "k-1", "token": "t-2"])

        var other = state
        other.uid = "43"
        other.data = ["apiKey": "k-9"]
        let refused = try test.vault.record(RunResult(run: run(.valid, at: later.addingTimeInterval(1)), verified: other), for: c.id)
        #expect(refused.status == .valid && refused.uid == "42" && refused.lastOutcome == .invalid)
        #expect(refused.lastError == Vault.accountChangedMessage)
        #expect(Value.object(try test.vault.data(of: c.id)) == ["apiKey": "k-1", "token": "t-2"])

        let history = try test.vault.history(of: c.id)
        #expect(history.map(\.outcome) == [.invalid, .valid, .needsInput, .unreachable, .invalid, .valid])
        #expect(history[3].httpStatus == nil && history[3].error == "timeout")
        #expect(try test.vault.history(of: c.id, limit: 2).map(\.outcome) == [.invalid, .valid])
        #expect(throws: VaultError.self) { try test.vault.record(RunResult(run: run(.valid)), for: c.id) }
    }

    @Test func recordingABatchIsAllOrNothing() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        let c = try test.addVerified(apiKey: "k")
        let ghost = UUID()
        #expect(throws: VaultError.connectionNotFound(ghost.uuidString.lowercased())) {
            try test.vault.record([(c.id, RunResult(run: run(.invalid))), (ghost, RunResult(run: run(.invalid)))])
        }
        #expect(try test.vault.connection(c.id).status == .valid)
        #expect(try test.vault.history(of: c.id).count == 1)
        let results = try test.vault.record([(c.id, RunResult(run: run(.invalid))), (c.id, RunResult(run: run(.needsInput)))])
        #expect(results.map(\.status) == [.invalid, .needsInput])
    }
}

extension VaultRoundTripTests {
    @Test func batchCreationIsAllOrNothing() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        let good = (0..<50).map { NewConnection(typeName: "acme-apikey", name: "n\($0)", storage: .unverified(parameters: ["apiKey": .string("k\($0)")])) }
        let created = try test.vault.createConnections(good)
        #expect(created.count == 50 && Set(created.map(\.id)).count == 50)
        #expect(try test.vault.data(of: created[7].id)["apiKey"] == "k7")
        let broken = good + [NewConnection(typeName: "ghost", name: "x", storage: .unverified(parameters: [:]))]
        #expect(throws: VaultError.typeNotFound("ghost")) { try test.vault.createConnections(broken) }
        #expect(try test.vault.connections().count == 50)
    }

    /// `close()` closes the file now: as the only connection, it copies the WAL into the file and deletes it, and
    /// every later call throws a clear error while another `Vault` on the file reads what was written.
    @Test func closingAVaultCopiesItsWALInAndRefusesLaterCalls() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        let wal = test.path + "-wal"
        #expect(FileManager.default.fileExists(atPath: wal))
        test.vault.close()
        #expect(!FileManager.default.fileExists(atPath: wal))
        #expect {
            try test.vault.types()
        } throws: { error in
            String(describing: error).contains("the connection is closed")
        }
        test.vault.close()  // a second close does nothing
        #expect(try test.reopen().types().map(\.name) == ["acme-apikey"])
    }
}

