public import Foundation
import Glibc
import Synchronization

/// A built executable started in the background: its output is collected while it runs, it can be killed at any
/// moment (`kill -9`), and its peak resident memory is sampled from `/proc/<pid>/status` until it ends.
///
/// `@unchecked Sendable`: `Process` is not `Sendable`, but it is only started here and then only queried
/// (`isRunning`, `waitUntilExit`, termination fields), which Foundation allows from any thread.
public final class RunningCommand: @unchecked Sendable {
    /// How a run ended and what it printed.
    public struct Outcome: Sendable {
        /// The exit status, or the signal number when ``killedBySignal`` is true.
        public let status: Int32
        /// Whether a signal ended the process.
        public let killedBySignal: Bool
        public let stdout: String
        public let stderr: String
        /// The peak resident set size seen (`VmHWM`), in KiB; 0 when never sampled.
        public let peakResidentKiB: Int
        /// From launch to exit.
        public let duration: Duration
    }

    private struct State {
        var stdout = Data()
        var stderr = Data()
        var peakKiB = 0
    }

    private let process: Process
    private let state = Mutex(State())
    private let readers = DispatchGroup()
    private let started = ContinuousClock.now

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// Starts `executable` with `arguments` and `environment` (used as given), writing `stdin` and closing it.
    public init(_ executable: URL, _ arguments: [String], environment: [String: String], stdin: Data? = nil) throws {
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { try? input.fileHandleForWriting.write(contentsOf: stdin) }
        try? input.fileHandleForWriting.close()
        for (pipe, isOutput) in [(output, true), (errors, false)] {
            readers.enter()
            let thread = Thread { [self] in
                let handle = pipe.fileHandleForReading
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    state.withLock { isOutput ? $0.stdout.append(chunk) : $0.stderr.append(chunk) }
                }
                readers.leave()
            }
            thread.start()
        }
        let sampler = Thread { [self] in
            let pid = process.processIdentifier
            while process.isRunning {
                if let kib = Self.peakResidentKiB(of: pid) { state.withLock { $0.peakKiB = max($0.peakKiB, kib) } }
                usleep(10_000)
            }
        }
        sampler.start()
    }

    /// Starts a built product of this package (see ``CommandRunner``) with the runner's environment plus `extra`.
    public convenience init(
        _ runner: CommandRunner, _ arguments: [String], environment extra: [String: String] = [:], stdin: String? = nil
    ) throws {
        try self.init(
            runner.executable, arguments, environment: runner.environment.merging(extra) { $1 },
            stdin: stdin.map { Data($0.utf8) })
    }

    /// What it printed on standard output so far.
    public var stdoutSoFar: String { state.withLock { String(decoding: $0.stdout, as: UTF8.self) } }

    /// Whether it is still running.
    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` (default `SIGKILL`).
    public func kill(_ signal: Int32 = SIGKILL) {
        Glibc.kill(process.processIdentifier, signal)
    }

    /// Waits for the end and both pipes' end of file.
    public func wait() -> Outcome {
        process.waitUntilExit()
        readers.wait()
        let elapsed = ContinuousClock.now - started
        return state.withLock { state in
            Outcome(
                status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
                stdout: String(decoding: state.stdout, as: UTF8.self), stderr: String(decoding: state.stderr, as: UTF8.self),
                peakResidentKiB: state.peakKiB, duration: elapsed)
        }
    }

    /// Waits at most `timeout`; kills the process (SIGKILL) when it is still running then. True when it ended alone.
    @discardableResult
    public func wait(atMost timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { usleep(5_000) }
        guard process.isRunning else { return true }
        kill()
        return false
    }

    /// `VmHWM` of `/proc/<pid>/status` in KiB.
    static func peakResidentKiB(of pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
    }
}
