import ConnectionVault
import Foundation
import Glibc
import IML
import Synchronization
import Testing
import TestSupport

@testable import connvault

/// `kill -9` at random moments during `connvault revalidate --all` and `connvault key rotate`. After every kill the
/// vault is audited from outside (``VaultAudit``: integrity, every value decrypts to what it held, every row
/// whole), everything another process saw committed before the kill is still there, batches of results are all
/// or nothing, and the command, run again, succeeds.
///
/// CI: 50 + 50 kills on small vaults. `CONNVAULT_LONG_TESTS=1`: 250 + 250 kills on bigger vaults.
@Suite("kill -9 during revalidate and key rotate", .serialized)
struct KillTests {
    let connvault = CommandRunner(product: "connvault")
    static let long = ReliabilitySettings.long
    /// Results are written this many at a time (`Vault.revalidate`).
    static let batchSize = 256
    static let concurrency = 16

    /// A uniformly random delay in `0 ..< limit`.
    static func randomDelay(below limit: Duration) -> Duration {
        let microseconds = max(1, limit.components.seconds * 1_000_000 + limit.components.attoseconds / 1_000_000_000_000)
        return .microseconds(Int64.random(in: 0..<microseconds))
    }

    static func history(_ path: String) -> Int {
        (try? RawDatabase(path: path).attempt("SELECT count(*) FROM history"))?.first?.first?.integer ?? -1
    }

    @Test func killDuringRevalidateLosesNoCommittedBatchAndLeavesNoHalfWrittenRow() async throws {
        try await HeavyTest.run { try await killDuringRevalidateLosesNoCommittedBatchAndLeavesNoHalfWrittenRowAlone() }
    }

    func killDuringRevalidateLosesNoCommittedBatchAndLeavesNoHalfWrittenRowAlone() async throws {
        let count = Self.long ? 1200 : 600  // more than two batches: kills land between commits too
        let kills = Self.long ? 250 : 50
        let test = try TestVault()
        // The service answers for "key-<name>" with that name as id, after a short random pause.
        let server = try ScriptedHTTPServer { request in
            let name = String((request.header("X-Api-Key") ?? "").dropFirst(4))
            return ScriptedResponse.json(#"{"id": "\#(name)", "name": "\#(name)", "plan": "pro"}"#)
                .with(.delay(.microseconds(Int64.random(in: 0..<3000))))
        }
        defer { server.stop() }
        let spec = try Examples.spec("acme-apikey", pointedAt: server.baseURL, in: test.directory.path)
        let environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path]
        #expect(try connvault.run(["types", "import", spec], environment: environment).status == 0)
        try test.addRuleConnections(count)
        let audit = VaultAudit(path: test.path, keyBase64: test.keyBase64)
        let arguments = ["revalidate", "--all", "--concurrency", "\(Self.concurrency)", "--json"]

        // A run to completion gives the time span to aim the kills at.
        let first = try RunningCommand(connvault, arguments, environment: environment).wait()
        #expect(first.status == 0, "\(first.stderr)")
        var span = first.duration * 1.2  // adapts: a run that ended before its kill sets it to that run's length

        guard case .success(var before) = audit.check(expect: VaultAudit.apiKeyMatchesName) else {
            Issue.record("the vault does not pass the audit before the kills")
            return
        }
        var killed = 0
        var attempts = 0
        var deltas: [Int: Int] = [:]  // history rows a killed run left → how often
        while killed < kills, attempts < kills * 4 {
            attempts += 1
            let process = try RunningCommand(connvault, arguments, environment: environment)
            try await Task.sleep(for: Self.randomDelay(below: span))
            let seen = Self.history(test.path)  // what another process saw committed just before the kill
            process.kill()
            let outcome = process.wait()
            if outcome.killedBySignal { killed += 1 } else {
                #expect(outcome.status == 0, "\(outcome.stderr)")
                span = outcome.duration
            }
            switch audit.check(expect: VaultAudit.apiKeyMatchesName) {
            case .failure(let problems):
                Issue.record("after kill \(killed): \(problems)")
                return
            case .success(let after):
                #expect(after.historyTotal >= seen, "a committed run was lost: saw \(seen), now \(after.historyTotal)")
                let delta = after.historyTotal - before.historyTotal
                let perConnection = after.historyCounts.map { $0.value - (before.historyCounts[$0.key] ?? 0) }
                #expect(perConnection.allSatisfy { $0 == 0 || $0 == 1 }, "a connection got two runs or lost one")
                // All or nothing per batch transaction: whole batches of 256; once every run has started, what had
                // finished is one more batch, and the runs then in flight (at most 2 × 16: `revalidate` runs two per
                // request slot) the last one. (A half-written last batch would show in the audit and the
                // per-connection counts, not in this total.)
                #expect(
                    delta % Self.batchSize == 0 || delta >= count - RevalidateCommand.runsPerRequestSlot * Self.concurrency,
                    "a half-written batch: \(delta) rows")
                #expect(after.data.keys == before.data.keys)
                deltas[delta, default: 0] += 1
                before = after
            }
        }
        #expect(killed >= kills, "only \(killed) of \(attempts) runs were still running when killed")

        // Run again: it simply works, every connection gets exactly one more run, and doctor is happy.
        let rows = Self.history(test.path)
        let again = try connvault.run(arguments, environment: environment)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(Self.history(test.path) == rows + count)
        let doctor = try connvault.run(["doctor"], environment: environment)
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
        ReliabilitySettings.report(
            "revalidate --all of \(count): \(killed) kills in \(attempts) attempts (full run \(first.duration)); "
                + "history rows left by killed runs → times: \(deltas.sorted { $0.key < $1.key })")
    }

    @Test func killDuringKeyRotateLeavesEveryValueUnderExactlyOneKey() async throws {
        try await HeavyTest.run { try await killDuringKeyRotateLeavesEveryValueUnderExactlyOneKeyAlone() }
    }

    func killDuringKeyRotateLeavesEveryValueUnderExactlyOneKeyAlone() async throws {
        let count = Self.long ? 5000 : 2000
        let kills = Self.long ? 250 : 50
        let test = try TestVault()
        try test.importAPIKeyType()
        try test.vault.setCommonData(["clientSecret": .string("common-\(count)")], forType: "acme-apikey")
        try test.addRuleConnections(count)
        let environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path]
        let audit = VaultAudit(path: test.path, keyBase64: test.keyBase64)
        guard case .success(let original) = audit.check(expect: VaultAudit.apiKeyMatchesName) else {
            Issue.record("the new vault does not pass the audit")
            return
        }
        try test.vault.checkpoint()  // the WAL starts empty, as after every rotation
        // Calibration: three whole rotations, watching how long the WAL holds bytes (from the commit's first frame to
        // the checkpoint's truncation). Two kills in three then fire at a random moment of that length after the
        // WAL starts to fill in the attempt itself; the third at a random moment of the whole run.
        var span = Duration.zero  // adapts: a run that ended before its kill sets it to that run's length
        var writing = Duration.zero
        for round in 0..<3 {
            let watch = WALWatch(path: test.path + "-wal")
            let run = try RunningCommand(connvault, ["key", "rotate"], environment: environment)
            let outcome = run.wait()
            let (filled, emptied) = watch.stop()
            #expect(outcome.status == 0 && outcome.stdout.contains("\(count + 1) sealed values"), "\(outcome.stdout)\(outcome.stderr)")
            #expect(outcome.stdout.contains("now version \(round + 2)"))
            span = max(span, outcome.duration * 1.2)
            if let filled, let emptied { writing = max(writing, emptied - filled) }
        }
        writing = max(writing, .milliseconds(5)) + .milliseconds(2)

        var version = 4
        var killed = 0
        var attempts = 0
        // Where the kills landed, told apart by the WAL they left and the key version after recovery.
        var phases: [String: Int] = [:]
        while killed < kills, attempts < kills * 4 {
            attempts += 1
            let process = try RunningCommand(connvault, ["key", "rotate"], environment: environment)
            if attempts % 3 == 0 {
                try await Task.sleep(for: Self.randomDelay(below: span))
                process.kill()
            } else {
                WALWatch(path: test.path + "-wal", killing: process, after: Self.randomDelay(below: writing))
            }
            let outcome = process.wait()
            let walBytes = (try? FileManager.default.attributesOfItem(atPath: test.path + "-wal")[.size] as? Int) ?? 0
            if outcome.killedBySignal { killed += 1 } else {
                #expect(outcome.status == 0, "\(outcome.stderr)")
                span = outcome.duration
            }
            switch audit.check(expect: VaultAudit.apiKeyMatchesName) {
            case .failure(let problems):
                Issue.record("after kill \(killed): \(problems)")
                return
            case .success(let after):
                // One transaction: every value under the old key, or every value under the new one.
                #expect(after.keyVersions.count == 1, "data keys \(after.keyVersions)")
                #expect(after.sealedVersions == Set(after.keyVersions), "values under \(after.sealedVersions.sorted())")
                let now = after.keyVersions.first ?? 0
                #expect(now == version || now == version + 1, "key version \(version) became \(now)")
                if outcome.killedBySignal {
                    let phase = switch (now == version + 1, walBytes > 0) {
                    case (false, false): "before writing"
                    case (false, true): "while writing the WAL, before the commit"
                    case (true, true): "after the commit, before the checkpoint truncated the WAL"
                    case (true, false): "after the checkpoint"
                    }
                    phases[phase, default: 0] += 1
                }
                try test.vault.checkpoint()  // the next attempt starts with an empty WAL, as after a rotation
                version = now
                #expect(after.data == original.data && after.common == original.common, "a value changed")
            }
        }
        #expect(killed >= kills, "only \(killed) of \(attempts) rotations were still running when killed")
        let again = try connvault.run(["key", "rotate"], environment: environment)
        #expect(again.status == 0 && again.stdout.contains("now version \(version + 1)"), "\(again.stdout)\(again.stderr)")
        let doctor = try connvault.run(["doctor"], environment: environment)
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
        ReliabilitySettings.report(
            "key rotate of \(count) connections: \(killed) kills in \(attempts) attempts (runs take \(span / 1.2), the WAL "
                + "holds bytes for \(writing)); "
                + "kills by phase: \(phases.sorted { $0.key < $1.key })")
    }
}

/// Watches a `-wal` file from a thread, polling as fast as it can: when it first holds bytes after being empty (or
/// gone), and when it is empty again after that, measured from the watch's start.
final class WALWatch: Sendable {
    private struct State {
        var sawEmpty = false
        var filled: Duration?
        var emptied: Duration?
        var stopped = false
        var finished = false
    }

    private let state = Mutex(State())

    /// Kills `process` (SIGKILL) `delay` after the WAL starts to fill; does nothing when the process ends first.
    @discardableResult
    convenience init(path: String, killing process: RunningCommand, after delay: Duration) {
        self.init(path: path, onFilled: {
            let (seconds, attoseconds) = delay.components
            usleep(UInt32(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
            process.kill()
        }, stopWhen: { !process.isRunning })
    }

    init(path: String, onFilled: (@Sendable () -> Void)? = nil, stopWhen: (@Sendable () -> Bool)? = nil) {
        let start = ContinuousClock.now
        Thread { [self] in
            var info = stat()
            while !state.withLock({ $0.stopped }), stopWhen?() != true {
                let size = stat(path, &info) == 0 ? Int(info.st_size) : 0
                let now = ContinuousClock.now - start
                let justFilled = state.withLock { state in
                    if size == 0 { state.sawEmpty = true }
                    if size == 0, state.filled != nil, state.emptied == nil { state.emptied = now }
                    guard size > 0, state.sawEmpty, state.filled == nil else { return false }
                    state.filled = now
                    return true
                }
                if justFilled, let onFilled {
                    onFilled()
                    break
                }
            }
            state.withLock { $0.finished = true }
        }.start()
    }

    /// Stops watching; returns when the WAL filled and when it was emptied again.
    func stop() -> (filled: Duration?, emptied: Duration?) {
        state.withLock { $0.stopped = true }
        while !state.withLock({ $0.finished }) { usleep(100) }
        return state.withLock { ($0.filled, $0.emptied) }
    }
}
