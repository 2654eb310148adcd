import ConnectionVault
import Foundation
import IML
import Synchronization
import Testing
import TestSupport

@Suite("Verifying through the vault")
struct VaultVerificationTests {
    /// A whoami service whose answers the test can change: key → (status, uid).
    final class Accounts: Sendable {
        let state = Mutex<[String: (Int, String)]>([:])
    }

    final class Service: Sendable {
        let accounts = Accounts()
        let server: ScriptedHTTPServer

        init() throws {
            let accounts = self.accounts
            server = try ScriptedHTTPServer { request in
                let key = request.header("X-Api-Key") ?? ""
                guard let (status, uid) = accounts.state.withLock({ $0[key] }) else { return .json("{}", status: 401) }
                if status != 200 { return .json(#"{"message": "down"}"#, status: status) }
                return .json(#"{"userId": "\#(uid)", "userName": "user-\#(uid)"}"#)
            }
        }

        func set(_ key: String, status: Int = 200, uid: String) { accounts.state.withLock { $0[key] = (status, uid) } }
        func remove(_ key: String) { _ = accounts.state.withLock { $0.removeValue(forKey: key) } }
    }

    func setUp() throws -> (TestVault, Service) {
        let test = try TestVault()
        let service = try Service()
        let spec = try Fixtures.spec(Fixtures.whoami, server: service.server, name: "whoami")
        try test.vault.importType(name: spec.name, label: "Who am I", spec: spec.storedSpec)
        return (test, service)
    }

    @Test func addStoresOnlyValidConnections() async throws {
        let (test, service) = try setUp()
        service.set("good", uid: "1")
        let executor = Fixtures.executor()
        let added = try await test.vault.addConnection(typeName: "whoami", name: nil, parameters: ["apiKey": "good"],
                                                       executor: executor)
        let connection = try #require(added.connection)
        #expect(connection.name == "user-1" && connection.uid == "1" && connection.status == .valid)
        #expect(try test.vault.data(of: connection.id)["userName"] == "user-1")
        #expect(try test.vault.history(of: connection.id).map(\.outcome) == [.valid])

        let refused = try await test.vault.addConnection(typeName: "whoami", name: "x", parameters: ["apiKey": "bad"],
                                                         executor: executor)
        #expect(refused.connection == nil && refused.run?.outcome == .invalid)
        await #expect(throws: ParameterError.self) {
            try await test.vault.addConnection(typeName: "whoami", name: nil, parameters: [:], executor: executor)
        }
        let unverified = try await test.vault.addConnection(typeName: "whoami", name: "later", parameters: ["apiKey": "zzz"],
                                                            verify: false, executor: executor)
        #expect(unverified.connection?.status == .unverified && unverified.run == nil)
        #expect(try test.vault.connections().count == 2)
    }

    @Test func revalidateRecordsEveryOutcomeByTheRules() async throws {
        let (test, service) = try setUp()
        let executor = Fixtures.executor()
        var ids: [UUID] = []
        for index in 0..<4 {
            service.set("k\(index)", uid: "\(index)")
            let added = try await test.vault.addConnection(typeName: "whoami", name: nil, parameters: ["apiKey": .string("k\(index)")],
                                                           executor: executor)
            ids.append(try #require(added.connection?.id))
        }
        service.set("k1", status: 503, uid: "1")        // unreachable: status stays valid
        service.remove("k2")                            // 401: invalid
        service.set("k3", uid: "another")               // another account: refused
        let results = try await test.vault.revalidate(ids, concurrency: 4, executor: executor)
        #expect(results.map(\.id) == ids)
        #expect(results.map(\.outcome) == [.valid, .unreachable, .invalid, .invalid])
        #expect(results.map(\.connection.status) == [.valid, .valid, .invalid, .valid])
        #expect(results[3].connection.lastError == Vault.accountChangedMessage && results[3].connection.uid == "3")
        #expect(try test.vault.data(of: ids[3])["userId"] == "3")
        for id in ids { #expect(try test.vault.history(of: id).count == 2) }
        #expect(try test.vault.history(of: ids[1])[0].httpStatus == 503)
    }

    @Test func updateStoresNewParametersOnlyWhenValid() async throws {
        let (test, service) = try setUp()
        let executor = Fixtures.executor()
        service.set("old", uid: "9")
        let id = try #require(try await test.vault.addConnection(typeName: "whoami", name: nil, parameters: ["apiKey": "old"],
                                                                 executor: executor).connection?.id)
        let failed = try await test.vault.updateConnection(id, parameters: ["apiKey": "wrong"], executor: executor)
        #expect(failed.outcome == .invalid && failed.connection.status == .invalid)
        #expect(try test.vault.secrets(of: id).parameters["apiKey"] == "old")
        service.set("new", uid: "9")
        let updated = try await test.vault.updateConnection(id, parameters: ["apiKey": "new"], name: "renamed", executor: executor)
        #expect(updated.outcome == .valid && updated.connection.name == "renamed")
        #expect(try test.vault.secrets(of: id).parameters["apiKey"] == "new")
        service.set("other", uid: "10")
        let otherAccount = try await test.vault.updateConnection(id, parameters: ["apiKey": "other"], executor: executor)
        #expect(otherAccount.outcome == .invalid && otherAccount.connection.lastError == Vault.accountChangedMessage)
        #expect(try test.vault.secrets(of: id).parameters["apiKey"] == "new")
    }

    @Test func manyConnectionsRevalidateConcurrentlyWithABound() async throws {
        let test = try TestVault()
        let server = try ScriptedHTTPServer { _ in
            .json(#"{"userId": "1", "userName": "u"}"#).with(.delay(.milliseconds(20)))
        }
        let spec = try Fixtures.spec(Fixtures.whoami, server: server, name: "whoami")
        try test.vault.importType(name: "whoami", label: "W", spec: spec.storedSpec)
        let ids = try (0..<60).map { index in
            try test.vault.createConnection(NewConnection(
                typeName: "whoami", name: "n\(index)", storage: .unverified(parameters: ["apiKey": .string("k\(index)")]))).id
        }
        let seen = Accounts()
        let results = try await test.vault.revalidate(ids, concurrency: 8, executor: Fixtures.executor()) { progress in
            seen.state.withLock { $0["done"] = (max($0["done"]?.0 ?? 0, progress.done), "") }
        }
        #expect(results.count == 60 && results.allSatisfy { $0.outcome == .valid })
        #expect(seen.state.withLock { $0["done"]?.0 } == 60)
        #expect(server.peakConcurrentRequests <= 8 && server.peakConcurrentRequests > 1)
    }
}
