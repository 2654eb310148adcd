public import ConnectionVault
import Foundation
import Glibc
import Synchronization
public import IML

/// A throwaway vault in its own temporary directory, with the raw key that opens it.
public struct TestVault: Sendable {
    public let directory: TemporaryDirectory
    public let vault: Vault
    /// The base64 master key (a test value, not a secret).
    public let keyBase64: String

    /// The vault file's path.
    public var path: String { vault.path }

    /// Creates a vault protected by a fresh random key.
    public init() throws {
        directory = TemporaryDirectory()
        keyBase64 = TestVault.randomKeyBase64()
        vault = try Vault.create(at: directory.file("vault.db"), key: .base64(keyBase64))
    }

    /// The base64 of 32 random bytes.
    public static func randomKeyBase64() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
    }

    /// Opens the same file again, as another process would.
    public func reopen() throws -> Vault {
        try Vault.open(at: path, key: .base64(keyBase64))
    }

    /// Imports a minimal API-key connection type named `name`.
    @discardableResult
    public func importAPIKeyType(_ name: String = "acme-apikey") throws -> ConnectionType {
        try vault.importType(name: name, label: "Acme (API key)", spec: TestVault.apiKeySpec)
    }

    /// A small spec in Make's format: one request checking an API key.
    public static let apiKeySpec: Value = [
        "communication": [
            "url": "https://api.example.com/whoami",
            "headers": ["x-api-key": "{{parameters.apiKey}}"],
            "response": ["uid": "{{body.id}}", "metadata": ["type": "text", "value": "{{body.name}}"]],
        ],
        "parameters": [["name": "apiKey", "type": "password", "label": "API Key", "required": true]],
    ]

    /// Creates a verified connection holding `apiKey`, with uid and metadata.
    @discardableResult
    public func addVerified(
        type: String = "acme-apikey", name: String = "jane", apiKey: String, uid: String = "42",
        extra: Object = Object()
    ) throws -> Connection {
        var parameters = Object()
        parameters["apiKey"] = .string(apiKey)
        var data = parameters
        for key in extra.keys { data[key] = extra[key] }
        let state = VerifiedState(
            parameters: parameters, data: data, metadata: Metadata(value: name), uid: uid, expiresAt: nil)
        let run = HistoryEntry(at: Date(), specVersion: 1, outcome: .valid, httpStatus: 200, durationMs: 12, error: nil)
        return try vault.createConnection(NewConnection(typeName: type, name: name, storage: .verified(run, state)))
    }
}

extension TestVault {
    /// Creates `count` verified connections named `tag-i` that follow the rule VaultStress and the reliability tests
    /// check: the data collection's `apiKey` is "key-" + the name; the uid is the name.
    @discardableResult
    public func addRuleConnections(_ count: Int, tag: String = "c", type: String = "acme-apikey") throws -> [Connection] {
        try (0..<count).map { index in
            let name = "\(tag)-\(index)"
            let parameters: Object = ["apiKey": .string("key-\(name)")]
            let state = VerifiedState(
                parameters: parameters, data: parameters, metadata: Metadata(value: name), uid: name, expiresAt: nil)
            let run = HistoryEntry(at: Date(), specVersion: 1, outcome: .valid, httpStatus: 200, durationMs: 1, error: nil)
            return try vault.createConnection(NewConnection(typeName: type, name: name, storage: .verified(run, state)))
        }
    }
}

/// Switches for the reliability suite.
public enum ReliabilitySettings {
    /// `CONNVAULT_LONG_TESTS=1` runs the long variants (more kills, bigger vaults, longer load).
    public static var long: Bool { ProcessInfo.processInfo.environment["CONNVAULT_LONG_TESTS"] == "1" }

    /// Prints one line of results, prefixed so it can be found in the test log.
    public static func report(_ line: String) {
        print("[reliability] \(line)")
    }
}

/// The reliability suite's heavy tests (kills, load) take turns: each keeps both cores busy with processes of its
/// own, and two at once would starve each other and the suites with wall-clock bounds running beside them.
public enum HeavyTest {
    private static let busy = Mutex(false)

    /// Waits until no other heavy test runs, then runs `body` off the cooperative pool (see ``BlockingWork``).
    public static func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        while !busy.withLock({ busy in
            if busy { return false }
            busy = true
            return true
        }) {
            try await Task.sleep(for: .milliseconds(50))
        }
        defer { busy.withLock { $0 = false } }
        return try await BlockingWork.run(body)
    }
}

/// Tests that wait on processes, sleep or grind through a vault block their thread. On Swift concurrency's
/// cooperative pool (one thread per core: two here) that starves every other test's tasks — timeouts measured by
/// other suites overrun and polling loops stop polling. ``run(_:)`` runs a test body on threads of its own instead,
/// at a lower priority (nice 10, which the processes they start inherit), so that the suite's other tests keep the
/// cores they need. The body stays in its task: `#expect` and everything task-local keep working.
public enum BlockingWork {
    final class Executor: TaskExecutor {
        static let shared = Executor()

        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            let thread = Thread {
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)  // Linux: this thread only
                job.runSynchronously(on: self.asUnownedTaskExecutor())
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// Runs `body`, and every task it starts, on threads outside the cooperative pool.
    public static func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(Executor.shared, operation: body)
    }
}
