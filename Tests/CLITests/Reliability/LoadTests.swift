import ConnectionVault
import Foundation
import Glibc
import IML
import Synchronization
import Testing
import TestSupport

/// Eight reader processes read every connection's data collection as runners do (`VaultStress read`), while one
/// process after another revalidates every connection (`connvault revalidate --all`, re-sealing each) and another
/// rotates the data key (`connvault key rotate`), for a bounded time. No busy or locked error surfaces, every read
/// returns the complete and correct collection, and the WAL stays bounded: readers must not pin it.
///
/// CI: 8 seconds. `CONNVAULT_LONG_TESTS=1`: 120 seconds.
@Suite("Load: readers, a revalidating writer and a rotating process", .serialized)
struct LoadTests {
    let connvault = CommandRunner(product: "connvault")
    let stress = CommandRunner(product: "VaultStress")
    static let seconds = ReliabilitySettings.long ? 120 : 8
    static let connections = 200
    /// The WAL may reach SQLite's auto-checkpoint size (1,000 pages, 4 MiB) plus one whole rotation before it is
    /// reset; twice that is generous. A WAL that readers pinned would grow with every write, past any bound.
    static let walBound = 8 << 20

    final class Runs: Sendable {
        let failures = Mutex<[String]>([])
        let counts = Mutex<[String: Int]>([:])
        func fail(_ message: String) { failures.withLock { $0.append(message) } }
        func count(_ key: String) { counts.withLock { $0[key, default: 0] += 1 } }
    }

    /// Runs `arguments` again and again (at a lower priority) until `deadline`, recording every failure.
    func repeatCommand(_ arguments: [String], environment: [String: String], until deadline: ContinuousClock.Instant,
                       runs: Runs, _ check: @escaping @Sendable (RunningCommand.Outcome) -> String?) -> Thread {
        let connvault = self.connvault
        let thread = Thread {
            while ContinuousClock.now < deadline {
                do {
                    let result = try RunningCommand(connvault, arguments, environment: environment, niceness: 10).wait()
                    runs.count(arguments.joined(separator: " "))
                    if let problem = check(result) { runs.fail("\(arguments): \(problem)") }
                } catch {
                    runs.fail("\(arguments): \(error)")
                }
            }
        }
        thread.start()
        return thread
    }

    @Test func readersAWriterAndARotatorTogether() async throws {
        try await HeavyTest.run { try await readersAWriterAndARotatorTogetherAlone() }
    }

    func readersAWriterAndARotatorTogetherAlone() async throws {
        let test = try TestVault()
        let server = try ScriptedHTTPServer { request in
            let name = String((request.header("X-Api-Key") ?? "").dropFirst(4))
            return .json(#"{"id": "\#(name)", "name": "\#(name)", "plan": "pro"}"#)
        }
        defer { server.stop() }
        let spec = try Examples.spec("acme-apikey", pointedAt: server.baseURL, in: test.directory.path)
        let environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path]
        #expect(try connvault.run(["types", "import", spec], environment: environment).status == 0)
        try test.addRuleConnections(Self.connections)
        let historyBefore = try RawDatabase(path: test.path).attempt("SELECT count(*) FROM history")[0][0].integer ?? 0

        let deadline = ContinuousClock.now + .seconds(Self.seconds)
        let readers = try (0..<8).map { _ in
            try RunningCommand(
                stress, ["read", test.path, "0", "--expect", "\(Self.connections)", "--seconds", "\(Self.seconds)"],
                environment: environment, niceness: 10)
        }
        let runs = Runs()
        let clean: @Sendable (RunningCommand.Outcome) -> String? = { result in
            if result.status != 0 { return "exit \(result.status): \(result.stderr)" }
            if result.stderr.contains("busy") || result.stderr.contains("locked") { return result.stderr }
            return nil
        }
        let writer = repeatCommand(["revalidate", "--all", "--concurrency", "8"], environment: environment,
                                   until: deadline, runs: runs, clean)
        let truncated = Mutex(0)
        let rotator = repeatCommand(["key", "rotate"], environment: environment, until: deadline, runs: runs) { result in
            if result.stdout.contains("write-ahead log truncated") { truncated.withLock { $0 += 1 } }
            return clean(result)
        }

        // Sample the WAL's size until everything has ended.
        var samples: [Int] = []
        while ContinuousClock.now < deadline || writer.isExecuting || rotator.isExecuting || readers.contains(where: \.isRunning) {
            let size = (try? FileManager.default.attributesOfItem(atPath: test.path + "-wal")[.size] as? Int) ?? 0
            samples.append(size)
            try await Task.sleep(for: .milliseconds(20))
        }
        var reads = 0
        for reader in readers {
            let outcome = reader.wait()
            #expect(outcome.status == 0 && !outcome.killedBySignal, "reader: \(outcome.stderr)")
            #expect(!outcome.stderr.contains("busy") && !outcome.stderr.contains("locked"), "\(outcome.stderr)")
            reads += Int(outcome.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        }
        let failures = runs.failures.withLock { $0 }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        let counts = runs.counts.withLock { $0 }
        let revalidations = counts["revalidate --all --concurrency 8"] ?? 0
        let rotations = counts["key rotate"] ?? 0
        #expect(revalidations > 0 && rotations > 0 && reads > 0)

        // Every revalidation recorded one run per connection; the vault is whole.
        let audit = VaultAudit(path: test.path, keyBase64: test.keyBase64)
        switch audit.check(expect: VaultAudit.apiKeyMatchesName) {
        case .success(let snapshot):
            #expect(snapshot.historyTotal == historyBefore + revalidations * Self.connections)
            #expect(snapshot.keyVersions == [1 + rotations])
        case .failure(let problems):
            Issue.record("\(problems)")
        }
        let peak = samples.max() ?? 0
        let databaseSize = (try? FileManager.default.attributesOfItem(atPath: test.path)[.size] as? Int) ?? 0
        #expect(peak <= Self.walBound, "the WAL grew to \(peak) bytes")
        ReliabilitySettings.report(
            "load for \(Self.seconds) s: \(reads) reads by 8 readers, \(revalidations) revalidations of \(Self.connections), "
                + "\(rotations) rotations (\(truncated.withLock { $0 }) truncated the WAL); WAL peak \(peak) bytes, "
                + "\(samples.count) samples, database \(databaseSize) bytes")
    }

    /// Without rotation's TRUNCATE checkpoints, the WAL is kept bounded only by SQLite's automatic checkpoints,
    /// which readers in the middle of a read would hold back: eight readers against a writer recording batches as
    /// fast as it can (`VaultStress batches`) must not make it grow past the bound.
    @Test func readersDoNotPinTheWALUnderAFastWriter() async throws {
        try await HeavyTest.run { try await readersDoNotPinTheWALUnderAFastWriterAlone() }
    }

    func readersDoNotPinTheWALUnderAFastWriterAlone() async throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        try test.addRuleConnections(Self.connections)
        let environment = ["CONNVAULT_KEY": test.keyBase64]
        let readers = try (0..<8).map { _ in
            try RunningCommand(
                stress, ["read", test.path, "0", "--expect", "\(Self.connections)", "--seconds", "\(Self.seconds)"],
                environment: environment, niceness: 10)
        }
        let writer = try RunningCommand(
            stress, ["batches", test.path, "0", "40", "--seconds", "\(Self.seconds)"], environment: environment, niceness: 10)
        let deadline = ContinuousClock.now + .seconds(Self.seconds)
        var samples: [Int] = []
        while ContinuousClock.now < deadline || writer.isRunning {
            samples.append((try? FileManager.default.attributesOfItem(atPath: test.path + "-wal")[.size] as? Int) ?? 0)
            try await Task.sleep(for: .milliseconds(20))
        }
        let written = writer.wait()
        let batches = written.stdout.split(separator: "\n").count
        #expect(written.stderr.isEmpty, "\(written.stderr)")
        var reads = 0
        for reader in readers {
            let outcome = reader.wait()
            #expect(outcome.status == 0 && !outcome.killedBySignal, "reader: \(outcome.stderr)")
            reads += Int(outcome.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        }
        let peak = samples.max() ?? 0
        #expect(batches > 0 && reads > 0)
        #expect(peak <= Self.walBound, "the WAL grew to \(peak) bytes")
        if case .failure(let problems) = VaultAudit(path: test.path, keyBase64: test.keyBase64).check(expect: VaultAudit.apiKeyMatchesName) {
            Issue.record("\(problems)")
        }
        ReliabilitySettings.report(
            "readers vs fast writer for \(Self.seconds) s: \(batches) batches of 40 runs, \(reads) reads; WAL peak \(peak) bytes")
    }
}
