import ConnectionVault
import Foundation
import IML
import Synchronization
import Testing
import TestSupport

/// `Vault.revalidate` as a stream: pages loaded, runs bounded, results recorded in batches and handed over in
/// the order of the ids; a run that confirms a connection seals nothing again.
@Suite("Revalidation pipeline")
struct RevalidationPipelineTests {
    /// A whoami service answering `{"userId", "userName"}` for any key `kN`, after a delay that varies with N so
    /// that runs finish out of order.
    final class Names: Sendable {
        let byKey = Mutex<[String: String]>([:])
    }

    static func service(names: Names = Names()) throws -> ScriptedHTTPServer {
        try ScriptedHTTPServer { request in
            let key = request.header("X-Api-Key") ?? ""
            let number = Int(key.dropFirst()) ?? 0
            let name = names.byKey.withLock { $0[key] } ?? "user-\(number)"
            return .json(#"{"userId": "\#(number)", "userName": "\#(name)"}"#)
                .with(.delay(.milliseconds(7 - number % 7)))
        }
    }

    static func setUp(_ server: ScriptedHTTPServer, count: Int) async throws -> (TestVault, [UUID]) {
        let test = try TestVault()
        let spec = try Fixtures.spec(Fixtures.whoami, server: server, name: "whoami")
        try test.vault.importType(name: "whoami", label: "Who am I", spec: spec.storedSpec)
        let ids = try test.vault.createConnections((0..<count).map { index in
            NewConnection(typeName: "whoami", name: "n\(index)", storage: .unverified(parameters: ["apiKey": .string("k\(index)")]))
        }).map(\.id).sorted { $0.uuidString < $1.uuidString }
        return (test, ids)
    }

    @Test func resultsComeInTheOrderOfTheIdsWhateverOrderRunsFinishIn() async throws {
        let server = try Self.service()
        defer { server.stop() }
        // More than a page (64), a batch (256) and the window (1,024 at concurrency 3): every boundary is crossed.
        let (test, ids) = try await Self.setUp(server, count: 1_100)
        let handedOver = Mutex<[RevalidationResult]>([])
        let final = try await test.vault.revalidate(ids, concurrency: 3, executor: Fixtures.executor()) { result in
            handedOver.withLock { $0.append(result) }
        }
        let results = handedOver.withLock { $0 }
        #expect(results.map(\.id) == ids)
        #expect(final.done == 1_100 && final.total == 1_100 && final.counts == [.valid: 1_100])
        #expect(server.peakConcurrentRequests <= 3)
        for result in results {
            #expect(result.outcome == .valid)
            #expect(try result.connection == test.vault.connection(result.id), "handed over as stored")
            #expect(try test.vault.history(of: result.id).count == 1)
        }
    }

    /// Loads have their own connection and the window is four batches: while a batch waits for the write lock
    /// (another process holds it here; a checkpoint's fsync does the same for 10–40 ms), connections go on loading
    /// and running up to the window — those of a type first met then too (its spec and common data are read
    /// through the loads' connection).
    @Test func runsGoOnWhileABatchWaitsForTheWriteLock() async throws {
        let server = try Self.service()
        defer { server.stop() }
        let (test, firstIDs) = try await Self.setUp(server, count: 600)
        let spec = try Fixtures.spec(Fixtures.whoami, server: server, name: "whoami-b")
        try test.vault.importType(name: "whoami-b", label: "Who am I (b)", spec: spec.storedSpec)
        let laterIDs = try test.vault.createConnections((600..<700).map { index in
            NewConnection(typeName: "whoami-b", name: "n\(index)", storage: .unverified(parameters: ["apiKey": .string("k\(index)")]))
        }).map(\.id)
        let ids = firstIDs + laterIDs  // the second type's first page is loaded after the first batch waits
        let count = ids.count
        let other = RawDatabase(path: test.path)
        _ = try other.attempt("BEGIN IMMEDIATE")
        let revalidation = Task {
            try await test.vault.revalidate(ids, concurrency: 8, executor: Fixtures.executor())
        }
        // With loads queued behind the waiting batch on one connection, requests stopped at what was loaded before
        // it (512 here); with a window of two batches, at 512 as well; with the second type looked up through the
        // vault's connection (which the waiting batch holds), at the pages loaded before its first one (576).
        let deadline = ContinuousClock.now + .seconds(20)
        while server.requests.count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let requested = server.requests.count
        _ = try other.attempt("ROLLBACK")
        let results = try await revalidation.value
        #expect(requested == count)
        #expect(results.map(\.id) == ids && results.allSatisfy { $0.outcome == .valid })
        #expect(other.query("SELECT count(*) FROM history")[0][0].integer == count)
    }

    /// Once every run has started, the batch recorded then is followed by a PASSIVE checkpoint on the reader's
    /// connection, while the last runs are in flight and the last batch is recorded: the database file itself (read
    /// without its WAL) then holds every result but those of the last batch. Without the checkpoint it held none of
    /// this revalidation's results (the ~120 frames stay far below the 1,000 at which a commit checkpoints).
    @Test func theWALIsCopiedIntoTheFileWhileTheLastRunsAreInFlight() async throws {
        let server = try Self.service()
        defer { server.stop() }
        let (test, ids) = try await Self.setUp(server, count: 300)  // batches of 256, then ~36, then ≤ 8
        let final = try await test.vault.revalidate(ids, concurrency: 8, executor: Fixtures.executor()) { _ in }
        #expect(final.done == 300 && final.counts == [.valid: 300])
        // The file alone, as a copy without its -wal: what the checkpoint copied into it.
        let copy = test.path + ".file-only"
        try FileManager.default.copyItem(atPath: test.path, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        // Without any checkpoint the file does not even hold the tables yet: no row at all.
        let inFile = (try? RawDatabase(path: copy).attempt("SELECT count(*) FROM history"))?.first?.first?.integer ?? 0
        let inVault = try ids.map { try test.vault.history(of: $0).count }.reduce(0, +)
        #expect(inVault == 300)  // one run each (creating them unverified wrote no history)
        #expect(inFile >= 300 - 8, "the file holds \(inFile) of \(inVault) history rows")
    }

    /// A concurrency with no practical bound runs like any other: the run window saturates (it overflowed and
    /// trapped, once).
    @Test func aConcurrencyNearIntMaxRunsEveryConnection() async throws {
        let server = try Self.service()
        defer { server.stop() }
        let (test, ids) = try await Self.setUp(server, count: 20)
        let final = try await test.vault.revalidate(ids, concurrency: .max, executor: Fixtures.executor()) { _ in }
        #expect(final.done == 20 && final.counts == [.valid: 20])
    }

    @Test func aConfirmingRunSealsNothingAgainAndAChangedOneDoes() async throws {
        let names = Names()
        let server = try Self.service(names: names)
        defer { server.stop() }
        let (test, ids) = try await Self.setUp(server, count: 2)
        let raw = RawDatabase(path: test.path)
        func sealed(_ id: UUID) -> String {
            raw.query("SELECT hex(sealed) FROM connections WHERE id = ?", [id.uuidString.lowercased()])[0][0].text ?? ""
        }
        let executor = Fixtures.executor()
        _ = try await test.vault.revalidate(ids, executor: executor)  // unverified → valid: the data collection grows
        let first = ids.map(sealed)
        let confirmed = try await test.vault.revalidate(ids, executor: executor)
        #expect(ids.map(sealed) == first, "a run that changed nothing keeps the sealed bytes")
        #expect(confirmed.allSatisfy { $0.outcome == .valid && $0.connection.status == .valid })
        #expect(try confirmed.map { try test.vault.history(of: $0.id).count } == [2, 2])

        names.byKey.withLock { $0["k1"] = "renamed" }
        let changed = try await test.vault.revalidate(ids, executor: executor)
        let after = ids.map(sealed)
        let renamedIndex = try #require(ids.firstIndex { try test.vault.secrets(of: $0).parameters["apiKey"] == "k1" })
        #expect(after[renamedIndex] != first[renamedIndex] && after[1 - renamedIndex] == first[1 - renamedIndex])
        #expect(try test.vault.data(of: ids[renamedIndex])["userName"] == "renamed")
        #expect(changed[renamedIndex].connection.metadata?.value == "renamed")
        #expect(try test.vault.connection(ids[renamedIndex]) == changed[renamedIndex].connection)
    }

    @Test func aConfirmingRunWritesOnlyTheColumnsThatChange() async throws {
        let server = try Self.service()
        defer { server.stop() }
        let (test, ids) = try await Self.setUp(server, count: 1)
        let executor = Fixtures.executor()
        _ = try await test.vault.revalidate(ids, executor: executor)
        let raw = RawDatabase(path: test.path)
        let before = raw.query("SELECT status, uid, type_name, metadata_value, verified_at FROM connections")[0]
        // A trigger on the indexed columns sees no UPDATE of them when a run only confirms the connection.
        raw.query("CREATE TABLE touched (what TEXT)")
        raw.query("""
            CREATE TRIGGER indexed_columns_touched AFTER UPDATE OF status, uid, type_name, expires_at ON connections
            BEGIN INSERT INTO touched VALUES ('indexed'); END
            """)
        raw.query("""
            CREATE TRIGGER sealed_touched AFTER UPDATE OF sealed ON connections
            BEGIN INSERT INTO touched VALUES ('sealed'); END
            """)
        try await Task.sleep(for: .milliseconds(5))  // verified_at moves on
        let confirmed = try await test.vault.revalidate(ids, executor: executor)
        #expect(confirmed.map(\.outcome) == [.valid])
        #expect(raw.query("SELECT what FROM touched").isEmpty)
        let after = raw.query("SELECT status, uid, type_name, metadata_value, verified_at FROM connections")[0]
        #expect(after[0..<4] == before[0..<4] && after[4] != before[4])
    }

    @Test func anErrorFromTheConsumerStopsTheRevalidationAndKeepsWhatWasRecorded() async throws {
        struct Enough: Error {}
        let server = try Self.service()
        defer { server.stop() }
        let (test, ids) = try await Self.setUp(server, count: 600)
        let seen = Mutex(0)
        await #expect(throws: Enough.self) {
            try await test.vault.revalidate(ids, concurrency: 8, executor: Fixtures.executor()) { _ in
                try seen.withLock { seen in
                    seen += 1
                    if seen == 70 { throw Enough() }
                }
            }
        }
        let recorded = try ids.filter { try !test.vault.history(of: $0).isEmpty }
        #expect(seen.withLock { $0 } == 70)
        #expect(recorded.count >= 70 && recorded.count < 600)
        for id in recorded { #expect(try test.vault.connection(id).status == .valid) }
    }

    /// The connection a scripted service acts on mid-run, as another process could; set once the ids are known.
    final class Target: Sendable {
        let vault = Mutex<(Vault, UUID)?>(nil)
    }

    @Test func connectionsRemovedMeanwhileAreSkippedAndTheRestRecorded() async throws {
        let victim = Target()
        // The service removes one connection while its request is in flight, as another process could.
        let server = try ScriptedHTTPServer { request in
            let key = request.header("X-Api-Key") ?? ""
            if key == "k5", let (vault, id) = victim.vault.withLock({ $0 }) { try? vault.remove(id) }
            return .json(#"{"userId": "\#(key)", "userName": "n"}"#)
        }
        defer { server.stop() }
        let (test, ids) = try await Self.setUp(server, count: 300)
        let goneBefore = ids[3]
        try test.vault.remove(goneBefore)
        let goneDuring = try #require(try ids.first { try $0 != goneBefore && test.vault.secrets(of: $0).parameters["apiKey"] == "k5" })
        victim.vault.withLock { $0 = (test.vault, goneDuring) }

        let handedOver = Mutex<[UUID]>([])
        let final = try await test.vault.revalidate(ids, concurrency: 4, executor: Fixtures.executor()) { result in
            handedOver.withLock { $0.append(result.id) }
        }
        let expected = ids.filter { $0 != goneBefore && $0 != goneDuring }
        #expect(handedOver.withLock { $0 } == expected)
        #expect(final.removed == 2 && final.done == 298 && final.counts == [.valid: 298])
        for id in expected { #expect(try test.vault.history(of: id).count == 1) }
        #expect(throws: VaultError.self) { try test.vault.connection(goneDuring) }
    }

    /// `prepareRevalidation` loads the first page (64) when it is called: a connection of that page removed before
    /// the run still runs (it is then counted removed when recorded), while one of a later page removed meanwhile
    /// is not loaded at all. Every other connection runs once and comes back in order, as with `revalidate(ids)`.
    @Test func aPreparedRevalidationHasItsFirstPageLoadedAlready() async throws {
        let server = try Self.service()
        defer { server.stop() }
        let (test, ids) = try await Self.setUp(server, count: 150)
        let prepared = try test.vault.prepareRevalidation(ids)
        let inFirstPage = ids[10]
        let inLaterPage = ids[100]
        try test.vault.remove(inFirstPage)
        try test.vault.remove(inLaterPage)
        let handedOver = Mutex<[UUID]>([])
        let final = try await test.vault.revalidate(prepared, concurrency: 8, executor: Fixtures.executor()) { result in
            handedOver.withLock { $0.append(result.id) }
        }
        #expect(handedOver.withLock { $0 } == ids.filter { $0 != inFirstPage && $0 != inLaterPage })
        #expect(final.removed == 2 && final.done == 148 && final.counts == [.valid: 148])
        let keys = server.requests.compactMap { $0.header("X-Api-Key") }
        #expect(keys.count == 149, "the first page's removed connection ran, the later one did not")
        #expect(Set(keys).count == 149)
    }

    @Test func aPreparedRevalidationOfNothingRunsNothing() async throws {
        let server = try Self.service()
        defer { server.stop() }
        let (test, _) = try await Self.setUp(server, count: 3)
        let prepared = try test.vault.prepareRevalidation([])
        let final = try await test.vault.revalidate(prepared, executor: Fixtures.executor()) { _ in }
        #expect(final.total == 0 && final.done == 0)
        #expect(server.requests.isEmpty)
    }

    /// Pages whose ids ascend are read as one range of the table. A selection with gaps (every third connection:
    /// a page's range holds three rows per id, more than the range read takes) and one in descending order (no
    /// range) each run exactly the connections asked for, once, and hand them over in the order given.
    @Test(arguments: [false, true])
    func aSelectionWithGapsOrInAnyOrderRunsExactlyWhatWasAskedFor(descending: Bool) async throws {
        let server = try Self.service()
        defer { server.stop() }
        let (test, ids) = try await Self.setUp(server, count: 600)
        // One removed within a page's range, one among the ids the range does not reach.
        let gone: Set = [ids[30], ids[150]]
        for id in gone { try test.vault.remove(id) }
        var selected = stride(from: 0, to: ids.count, by: 3).map { ids[$0] }
        if descending { selected.reverse() }
        let handedOver = Mutex<[UUID]>([])
        let final = try await test.vault.revalidate(selected, concurrency: 8, executor: Fixtures.executor()) { result in
            handedOver.withLock { $0.append(result.id) }
        }
        #expect(handedOver.withLock { $0 } == selected.filter { !gone.contains($0) })
        #expect(final.removed == 2 && final.done == 198)
        let chosen = Set(selected)
        for id in ids where !gone.contains(id) {
            #expect(try test.vault.history(of: id).count == (chosen.contains(id) ? 1 : 0))
        }
    }

    /// A run is recorded onto the row as stored when it is recorded, not as it was loaded: a write that came in
    /// between (here another process verifying the connection against another account, and a rename) is kept, and
    /// the run is judged against it.
    @Test func aWriteWhileARunIsInFlightIsKeptAndTheRunJudgedAgainstIt() async throws {
        let target = Target()
        let server = try ScriptedHTTPServer { request in
            let key = request.header("X-Api-Key") ?? ""
            if key == "k5", let (vault, id) = target.vault.withLock({ $0 }) {
                let other = VerifiedState(parameters: ["apiKey": "k5"], data: ["apiKey": "k5"], uid: "someone-else")
                _ = try? vault.record(
                    RunResult(
                        run: HistoryEntry(at: Date(), specVersion: 1, outcome: .valid, httpStatus: 200, durationMs: 1, error: nil),
                        verified: other),
                    for: id)
                try? vault.rename(id, to: "renamed meanwhile")
            }
            return .json(#"{"userId": "\#(key)", "userName": "n"}"#)
        }
        defer { server.stop() }
        let (test, ids) = try await Self.setUp(server, count: 10)
        let written = try #require(try ids.first { try test.vault.secrets(of: $0).parameters["apiKey"] == "k5" })
        target.vault.withLock { $0 = (test.vault, written) }

        let final = try await test.vault.revalidate(ids, concurrency: 4, executor: Fixtures.executor()) { _ in }
        #expect(final.counts == [.valid: 10])
        let connection = try test.vault.connection(written)
        #expect(connection.name == "renamed meanwhile")
        #expect(connection.uid == "someone-else", "the other write's account is kept")
        #expect(connection.lastOutcome == .invalid && connection.lastError == Vault.accountChangedMessage)
        // Both runs are in the history (ordered by when each started, which may be the same millisecond).
        let history = try test.vault.history(of: written)
        #expect(history.count == 2 && Set(history.map(\.outcome)) == [.valid, .invalid])
        #expect(history.contains { $0.outcome == .invalid && $0.error == Vault.accountChangedMessage })
        for id in ids where id != written {
            #expect(try test.vault.connection(id).uid == test.vault.secrets(of: id).parameters["apiKey"]?.text)
        }
    }

    @Test func logsAreKeptOnlyWhenAskedAndErrorsAreRedactedEitherWay() async throws {
        let server = try ScriptedHTTPServer { _ in .json(#"{"message": "bad key s3cr3t-CANARY"}"#, status: 401) }
        defer { server.stop() }
        let spec = try Fixtures.spec(
            #"""
            {"communication": {"url": "BASE/me", "headers": {"authorization": "Bearer {{parameters.token}}"},
               "response": {"error": {"message": "{{body.message}}"}}},
             "parameters": [{"name": "token", "type": "password", "required": true}]}
            """#, server: server)
        var configuration = Executor.Configuration()
        configuration.keepsLog = false
        let quiet = await Executor(configuration: configuration).run(spec, parameters: ["token": "s3cr3t-CANARY"], common: [:])
        let logged = await Fixtures.executor().run(spec, parameters: ["token": "s3cr3t-CANARY"], common: [:])
        #expect(quiet.log.isEmpty && logged.log.count == 1)
        for result in [quiet, logged] {
            #expect(result.outcome == .invalid)
            #expect(result.error?.contains("<redacted>") == true && result.error?.contains("CANARY") == false)
        }
        #expect(!logged.log.map { $0.compactJSON() }.joined().contains("CANARY"))
    }

    @Test func dueConnectionsAreThoseExpiringSoonOrNotVerifiedLately() async throws {
        let server = try Self.service()
        defer { server.stop() }
        let (test, ids) = try await Self.setUp(server, count: 4)
        let now = Date()
        let hour = 3_600_000
        let nowMs = Int(now.timeIntervalSince1970 * 1000)
        let raw = RawDatabase(path: test.path)
        // 0: never verified; 1: verified just now; 2: verified 2 days ago; 3: verified now but expiring in 5 min.
        let columns: [(Int?, Int?)] = [(nil, nil), (nowMs, nil), (nowMs - 48 * hour, nil), (nowMs, nowMs + 300_000)]
        for (id, (verified, expires)) in zip(ids, columns) {
            raw.query("UPDATE connections SET verified_at = ?, expires_at = ? WHERE id = ?",
                      [verified, expires, id.uuidString.lowercased()])
        }
        let due = try test.vault.connectionHeadings(due: DueRule(now: now))
        #expect(due.map(\.id) == [ids[0], ids[2], ids[3]])
        #expect(try due.map(\.name) == [ids[0], ids[2], ids[3]].map { try test.vault.connection($0).name })
        let stricter = try test.vault.connectionHeadings(due: DueRule(expiringWithin: 60, verifiedOlderThan: 72 * 3600, now: now))
        #expect(stricter.map(\.id) == [ids[0]])
        #expect(try test.vault.connectionHeadings(typeName: "other").isEmpty)
        #expect(try test.vault.connectionHeadings().map(\.id) == ids)
    }
}
