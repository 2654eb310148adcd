import Foundation
import Testing
import TestSupport

@testable import connvault

@Suite("The process settings of batch commands")
struct BatchProcessTests {
    /// `SCHED_OTHER` and `SCHED_BATCH` from `<linux/sched.h>`.
    static let normalPolicy = 0
    static let batchPolicy = 3

    /// Whether the tests run under the default policy, as the commands they start then do.
    static let testsRunUnderTheDefaultPolicy = sched_getscheduler(0) == 0

    /// Whether `chrt` is here and may set the default policy with reset-on-fork.
    static let chrtCanResetOnFork: Bool = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/chrt")
        probe.arguments = ["--other", "--reset-on-fork", "0", "/bin/true"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    /// `main` applies the batch settings only on the path of the asynchronous commands.
    @Test func everyBatchCommandIsAnAsynchronousOne() {
        #expect(Dispatcher.batch.isSubset(of: Dispatcher.asynchronous))
    }

    @Test(.enabled(if: testsRunUnderTheDefaultPolicy))
    func revalidateRunsEveryThreadAsABatchThread() async throws {
        let policies = try await whileTheRequestHangs(["revalidate", "--all"], addFirst: true, read: Self.policies)
        // The main thread, the libcurl engines, Swift's pool and the database queues: all of them.
        #expect(policies.count >= 3, "\(policies)")
        #expect(policies.allSatisfy { $0 == Self.batchPolicy }, "\(policies)")
    }

    /// The default policy with reset-on-fork is a choice too (`sched_getscheduler` reports the flag): kept, so
    /// every thread shows the default policy rather than `SCHED_BATCH`.
    @Test(.enabled(if: chrtCanResetOnFork, "needs chrt"))
    func aPolicyTheOperatorChoseIsKept() async throws {
        let policies = try await whileTheRequestHangs(
            ["revalidate", "--all"], through: ["/usr/bin/chrt", "--other", "--reset-on-fork", "0"], addFirst: true,
            read: Self.policies)
        #expect(policies.count >= 3, "\(policies)")
        #expect(policies.allSatisfy { $0 == Self.normalPolicy }, "\(policies)")
    }

    @Test(.enabled(if: testsRunUnderTheDefaultPolicy))
    func addKeepsTheDefaultPolicy() async throws {
        let policies = try await whileTheRequestHangs(
            ["add", "acme-apikey", "--param", "apiKey=@-"], read: Self.policies)
        #expect(!policies.isEmpty)
        #expect(policies.allSatisfy { $0 == Self.normalPolicy }, "\(policies)")
    }

    @Test func revalidateMakesEachThreadsMallocHeapWritableFor4MiBAtOnce() async throws {
        let heaps = try await whileTheRequestHangs(["revalidate", "--all"], addFirst: true, read: Self.threadHeaps)
        #expect(!heaps.isEmpty)
        #expect(heaps.allSatisfy { $0 >= 4 << 20 }, "\(heaps)")
    }

    @Test func addKeepsMallocsDefaultHeapGrowth() async throws {
        let heaps = try await whileTheRequestHangs(
            ["add", "acme-apikey", "--param", "apiKey=@-"], read: Self.threadHeaps)
        #expect(!heaps.isEmpty)
        #expect(heaps.allSatisfy { $0 < 4 << 20 }, "\(heaps)")
    }

    /// The scheduling policy of each of process `pid`'s threads.
    private static func policies(of pid: Int32) throws -> [Int] {
        // A thread that ends between the listing and the read is skipped.
        try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").compactMap { task in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8) else {
                return nil
            }
            // Fields after the command name (in parentheses, which may hold spaces) start at field 3; the policy is
            // field 41.
            let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
            return Int(fields[41 - 3])!
        }
    }

    /// The writable size of each malloc heap of process `pid` other than the main one: glibc maps each at a 64 MiB
    /// boundary, 64 MiB long, writable from its start for as far as it has grown and inaccessible after that.
    private static func threadHeaps(of pid: Int32) throws -> [UInt64] {
        let heapSize: UInt64 = 64 << 20
        let regions = try String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8).split(separator: "\n").map {
            line -> (start: UInt64, end: UInt64, permissions: Substring) in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            let bounds = fields[0].split(separator: "-")
            return (UInt64(bounds[0], radix: 16)!, UInt64(bounds[1], radix: 16)!, fields[1])
        }
        return zip(regions, regions.dropFirst()).compactMap { writable, rest in
            guard writable.start % heapSize == 0, writable.permissions == "rw-p", rest.permissions == "---p",
                rest.start == writable.end, rest.end == writable.start + heapSize
            else { return nil }
            return writable.end - writable.start
        }
    }

    /// Runs `arguments` (through `wrapper`, a command that execs the rest, when given) against a service that never
    /// answers and, once the request arrived, reads what `read` reads from the running process. With `addFirst`, a
    /// connection is added (unverified) before.
    private func whileTheRequestHangs<T>(
        _ arguments: [String], through wrapper: [String] = [], addFirst: Bool = false, read: (Int32) throws -> T
    ) async throws -> T {
        let test = try TestVault()
        let server = try ScriptedHTTPServer { _ in ScriptedResponse.json("{}").with(.hang) }
        defer { server.stop() }
        let spec = try Examples.spec("acme-apikey", pointedAt: server.baseURL, in: test.directory.path)
        let environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path]
        let connvault = CommandRunner(product: "connvault")
        #expect(try connvault.run(["types", "import", spec], environment: environment).status == 0)
        if addFirst {
            let added = try connvault.run(
                ["add", "acme-apikey", "--no-verify", "--param", "apiKey=@-"], environment: environment, stdin: "k-1")
            #expect(added.status == 0, "\(added.stderr)")
        }
        let command = wrapper.isEmpty ? connvault.executable : URL(fileURLWithPath: wrapper[0])
        let running = try RunningCommand(
            command, wrapper.dropFirst() + (wrapper.isEmpty ? [] : [connvault.executable.path]) + arguments,
            environment: connvault.environment.merging(environment) { $1 }, stdin: Data("k-2".utf8))
        defer {
            running.kill()
            _ = running.wait()
        }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, server.requests.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!server.requests.isEmpty)
        return try read(running.pid)
    }
}
