import ConnectionVault
import Foundation
import IML
import Synchronization

// The vault's benchmark driver. The master key comes from $CONNVAULT_KEY (base64).
//
//   VaultBenchmark prepare VAULT COUNT IDS_FILE [SPEC_FILE]
//       create a vault of COUNT verified connections; write their ids, one per line. With SPEC_FILE (a spec
//       with `username`/`password` parameters, Benchmarks/nginx/bench-basic.json), the connections are of
//       that type and hold what a valid run of it stores, so `connvault revalidate` finds them valid.
//   VaultBenchmark read VAULT IDS_FILE ITERATIONS
//       read each id's data collection ITERATIONS times over (the runner's hot path)
//   VaultBenchmark revalidate VAULT CONCURRENCY
//       Vault.revalidate of every connection (what `connvault revalidate --all` runs, without its output, its
//       second flow per request slot and its batch process settings)
//   VaultBenchmark list VAULT REPEAT
//       Vault.forEachConnection REPEAT times (what `connvault list` reads, a page at a time, without its output)
//   VaultBenchmark http URL COUNT CONCURRENCY
//       COUNT GETs of URL with the benchmark account's Basic credentials through CurlHTTPClient, CONCURRENCY
//       at a time: the HTTP layer alone, without the vault (no key needed)
//
// Each prints one JSON line: `read` {"reads", "nsPerRead", "members"}, `prepare` {"connections", "seconds"},
// `revalidate` {"connections", "valid", "seconds"}, `list` {"connections", "seconds"}, `http` {"requests",
// "ok", "seconds", "requestsPerSecond", "cpuSeconds"}. `revalidate` and `list` exist for profiling: connvault's
// async main does not run under valgrind 3.19, this synchronous main does. Benchmarks/run compares `read` with
// the C baseline (Benchmarks/baseline/hotpath.c); Benchmarks/run-http compares `http` with curl --parallel.
//
// There is no public API that creates many connections in one transaction, so `prepare` commits once per
// connection (synchronous=FULL: one fsync each). Benchmarks/run therefore prepares on tmpfs and caches the
// result under Benchmarks/out/.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("VaultBenchmark: \(message)\n".utf8))
    exit(1)
}

/// What the benchmark's whoami endpoint (Benchmarks/nginx/whoami.json) answers: a valid run stores this.
enum Account {
    static let id = "4242"
    static let email = "bench@example.com"
    static let region = "eu-west-1"
    static let token = "eyJhbGciOiJIUzI1NiJ9.YmVuY2g.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
    static let username = "bench"
    static let password = "correct-horse-battery-staple"
}

func prepare(path: String, count: Int, idsFile: String, specFile: String?, key: MasterKeySource) throws {
    let clock = ContinuousClock()
    let start = clock.now
    let vault = try Vault.create(at: path, key: key)
    let typeName: String
    if let specFile {
        guard let spec = try SpecLoader.load(path: specFile).specs.first else { fail("no spec in \(specFile)") }
        try vault.importType(name: spec.name, label: spec.label, spec: spec.storedSpec)
        typeName = spec.name
    } else {
        try vault.importType(name: "bench", label: "Bench", spec: ["communication": ["url": "https://api.test/me"]])
        typeName = "bench"
    }
    var ids: [String] = []
    ids.reserveCapacity(count)
    let run = HistoryEntry(at: Date(), specVersion: 1, outcome: .valid, httpStatus: 200, durationMs: 1, error: nil)
    for index in 0..<count {
        // What a valid run stores: the parameters merged with response.data (~200 bytes of JSON).
        let parameters: Object = [
            "username": .string(Account.username), "password": .string(Account.password),
        ]
        var data = parameters
        data["userId"] = .string(Account.id)
        data["userName"] = .string(Account.email)
        data["region"] = .string(Account.region)
        data["token"] = .string(Account.token)
        let state = VerifiedState(
            parameters: parameters, data: data, metadata: Metadata(type: .email, value: Account.email), uid: Account.id)
        let connection = try vault.createConnection(
            NewConnection(typeName: typeName, name: "user\(index)", storage: .verified(run, state)))
        ids.append(connection.id.uuidString.lowercased())
    }
    try vault.checkpoint()
    try (ids.joined(separator: "\n") + "\n").write(toFile: idsFile, atomically: true, encoding: .utf8)
    let elapsed = (clock.now - start) / .seconds(1)
    print(#"{"connections":\#(count),"seconds":\#(String(format: "%.2f", elapsed))}"#)
}

func read(path: String, idsFile: String, iterations: Int, key: MasterKeySource) throws {
    let ids = try String(contentsOfFile: idsFile, encoding: .utf8).split(separator: "\n").compactMap {
        UUID(uuidString: String($0))
    }
    let vault = try Vault.open(at: path, key: key)
    var members = 0
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<iterations {
        for id in ids { members &+= try vault.data(of: id).count }
    }
    let elapsed = clock.now - start
    let reads = iterations * ids.count
    let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
    print(#"{"reads":\#(reads),"nsPerRead":\#(String(format: "%.1f", nanoseconds / Double(reads))),"members":\#(members)}"#)
}

func revalidate(path: String, concurrency: Int, key: MasterKeySource) throws {
    let vault = try Vault.open(at: path, key: key)
    let ids = try vault.connections().map(\.id)
    var configuration = Executor.Configuration()
    configuration.maxConcurrentRequests = concurrency
    configuration.keepsLog = false  // as `connvault revalidate` without --log
    let executor = Executor(configuration: configuration)
    let clock = ContinuousClock()
    let start = clock.now
    let finished = DispatchSemaphore(value: 0)
    let outcome = Mutex<Result<[RevalidationResult], any Error>?>(nil)
    Task {
        let result = await Result(catching: { try await vault.revalidate(ids, concurrency: concurrency, executor: executor) })
        outcome.withLock { $0 = result }
        finished.signal()
    }
    finished.wait()
    let results = try outcome.withLock { $0 }!.get()
    let valid = results.filter { $0.outcome == .valid }.count
    let elapsed = (clock.now - start) / .seconds(1)
    print(#"{"connections":\#(ids.count),"valid":\#(valid),"seconds":\#(String(format: "%.3f", elapsed))}"#)
}

func list(path: String, repeat count: Int, key: MasterKeySource) throws {
    let vault = try Vault.open(at: path, key: key)
    let clock = ContinuousClock()
    let start = clock.now
    var connections = 0
    for _ in 0..<count {
        connections = 0
        try vault.forEachConnection { _ in connections += 1 }
    }
    let elapsed = (clock.now - start) / .seconds(1) / Double(count)
    print(#"{"connections":\#(connections),"seconds":\#(String(format: "%.4f", elapsed))}"#)
}

/// What the `http` mode's tasks share.
final class HTTPTally: Sendable {
    let next = Atomic<Int>(0)
    let ok = Atomic<Int>(0)
    let failure = Mutex<String?>(nil)
}

/// Sends `count` GETs of `url` with Basic credentials through `CurlHTTPClient`, `concurrency` tasks at a time.
func http(url: String, count: Int, concurrency: Int) {
    let client = CurlHTTPClient(configuration: HTTPClientConfiguration(maxConcurrentRequests: concurrency))
    let request = HTTPRequest(
        url: url, authentication: .basic(username: Account.username, password: Account.password))
    let tally = HTTPTally()
    let clock = ContinuousClock()
    let cpuBefore = cpuSeconds()
    let start = clock.now
    let finished = DispatchSemaphore(value: 0)
    Task { [client, tally] in
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<min(concurrency, count) {
                group.addTask {
                    while tally.next.add(1, ordering: .relaxed).oldValue < count {
                        do {
                            let response = try await client.send(request)
                            if response.status == 200 { tally.ok.add(1, ordering: .relaxed) }
                        } catch {
                            tally.failure.withLock { $0 = $0 ?? "\(error)" }
                        }
                    }
                }
            }
        }
        finished.signal()
    }
    finished.wait()
    let elapsed = (clock.now - start) / .seconds(1)
    let cpu = cpuSeconds() - cpuBefore
    if let message = tally.failure.withLock({ $0 }) {
        FileHandle.standardError.write(Data("VaultBenchmark: \(message)\n".utf8))
    }
    let answered = tally.ok.load(ordering: .relaxed)
    print(
        #"{"requests":\#(count),"ok":\#(answered),"seconds":\#(String(format: "%.3f", elapsed)),"#
            + #""requestsPerSecond":\#(String(format: "%.0f", Double(count) / elapsed)),"#
            + #""cpuSeconds":\#(String(format: "%.3f", cpu))}"#)
    if answered != count { exit(1) }
}

/// User plus system CPU time of the whole process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

// As README.md advises runners ("Using the vault from Swift"): this process reads no SQLite memory statistics.
Vault.turnOffSQLiteMemoryStatistics()
let arguments = CommandLine.arguments
let usage = """
    usage: VaultBenchmark prepare VAULT COUNT IDS_FILE [SPEC_FILE] | read VAULT IDS_FILE ITERATIONS \
    | revalidate VAULT CONCURRENCY | list VAULT REPEAT (key in $CONNVAULT_KEY) | http URL COUNT CONCURRENCY
    """
if arguments.count == 5, arguments[1] == "http" {
    guard let count = Int(arguments[3]), count > 0, let concurrency = Int(arguments[4]), concurrency > 0 else {
        fail("COUNT and CONCURRENCY must be positive numbers")
    }
    http(url: arguments[2], count: count, concurrency: concurrency)
    exit(0)
}
guard arguments.count >= 4, let keyText = ProcessInfo.processInfo.environment["CONNVAULT_KEY"] else { fail(usage) }

do {
    let key = try MasterKeySource.base64(keyText)
    switch arguments[1] {
    case "prepare" where (5...6).contains(arguments.count):
        guard let count = Int(arguments[3]), count >= 0 else { fail("COUNT must be a number") }
        try prepare(
            path: arguments[2], count: count, idsFile: arguments[4], specFile: arguments.count == 6 ? arguments[5] : nil,
            key: key)
    case "read" where arguments.count == 5:
        guard let iterations = Int(arguments[4]), iterations > 0 else { fail("ITERATIONS must be a positive number") }
        try read(path: arguments[2], idsFile: arguments[3], iterations: iterations, key: key)
    case "revalidate" where arguments.count == 4:
        guard let concurrency = Int(arguments[3]), concurrency > 0 else { fail("CONCURRENCY must be a positive number") }
        try revalidate(path: arguments[2], concurrency: concurrency, key: key)
    case "list" where arguments.count == 4:
        guard let count = Int(arguments[3]), count > 0 else { fail("REPEAT must be a positive number") }
        try list(path: arguments[2], repeat: count, key: key)
    default:
        fail(usage)
    }
} catch {
    fail("\(error)")
}
