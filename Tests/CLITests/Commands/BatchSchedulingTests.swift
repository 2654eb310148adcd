import Foundation
import Testing
import TestSupport

@Suite("The scheduling policy of the CLI's threads")
struct BatchSchedulingTests {
    /// `SCHED_OTHER` and `SCHED_BATCH` from `<linux/sched.h>`.
    static let normalPolicy = 0
    static let batchPolicy = 3

    @Test func revalidateRunsEveryThreadAsABatchThread() async throws {
        let policies = try await policiesWhileTheRequestHangs(["revalidate", "--all"], addFirst: true)
        // The main thread, the libcurl engines, Swift's pool and the database queues: all of them.
        #expect(policies.count >= 4, "\(policies)")
        #expect(policies.allSatisfy { $0 == Self.batchPolicy }, "\(policies)")
    }

    @Test func addKeepsTheDefaultPolicy() async throws {
        let policies = try await policiesWhileTheRequestHangs(["add", "acme-apikey", "--param", "apiKey=@-"])
        #expect(!policies.isEmpty)
        #expect(policies.allSatisfy { $0 == Self.normalPolicy }, "\(policies)")
    }

    /// Runs `arguments` against a service that never answers and reads the policy of each of the process's threads
    /// from `/proc` once the request arrived. With `addFirst`, a connection is added (unverified) before.
    private func policiesWhileTheRequestHangs(_ arguments: [String], addFirst: Bool = false) async throws -> [Int] {
        let test = try TestVault()
        let server = try ScriptedHTTPServer { _ in ScriptedResponse.json("{}").with(.hang) }
        let spec = try Examples.spec("acme-apikey", pointedAt: server.baseURL, in: test.directory.path)
        let environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path]
        let connvault = CommandRunner(product: "connvault")
        #expect(try connvault.run(["types", "import", spec], environment: environment).status == 0)
        if addFirst {
            let added = try connvault.run(
                ["add", "acme-apikey", "--no-verify", "--param", "apiKey=@-"], environment: environment, stdin: "k-1")
            #expect(added.status == 0, "\(added.stderr)")
        }
        let running = try RunningCommand(
            connvault.executable, arguments, environment: connvault.environment.merging(environment) { $1 },
            stdin: Data("k-2".utf8))
        defer {
            running.kill()
            _ = running.wait()
        }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, server.requests.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!server.requests.isEmpty)
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(running.pid)/task")
        return try tasks.map { task in
            let stat = try String(contentsOfFile: "/proc/\(running.pid)/task/\(task)/stat", encoding: .utf8)
            // Fields after the command name (in parentheses, which may hold spaces) start at field 3; the
            // policy is field 41.
            let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
            return Int(fields[41 - 3])!
        }
    }
}
