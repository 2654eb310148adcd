import ConnectionVault
import Foundation
import IML
import Synchronization

/// `connvault revalidate (ID... | --all | --due) …`: verifies stored connections again, concurrently.
///
/// Made in two steps: ``init(_:vault:)`` chooses the connections (on the main thread, while libcurl loads), and
/// ``run()`` revalidates them.
struct RevalidateCommand: Sendable {
    private let command: ParsedCommand
    private let vault: Vault
    private let headings: [ConnectionHeading]
    /// `--concurrency`: the executor's bound on requests in flight.
    private let concurrency: Int
    private let executor: Executor
    /// How many runs are in flight for each request the executor lets through at once.
    ///
    /// A run whose request waits for a slot has built it already, so an engine that finishes a transfer starts the
    /// next one at once, on its own thread, instead of waiting for a task to finish, a new one to start and build
    /// its request. The bound on requests in flight (cli.md: `--concurrency N` bounds requests in flight) is the
    /// executor's and stays exact. Measured against one run per slot: 7–9% less time at 10,000 and 100,000
    /// connections, and less CPU, since the threads sleep less often; 1,000 unchanged.
    static let runsPerRequestSlot = 2
    /// The revalidation with its first page loaded; a failure to load it is reported by ``run()``, after the
    /// output it would have written (`[]`, or the table's header), as a failure on a later page is.
    private let prepared: Result<PreparedRevalidation, any Error>

    /// Chooses the connections and loads the first of them, on the calling thread.
    init(_ command: ParsedCommand, vault: Vault) throws {
        self.command = command
        self.vault = vault
        headings = try Self.selection(command, vault: vault)
        concurrency = command.int("concurrency") ?? 8
        executor = VerificationCommands.executor(concurrency: concurrency, keepsLog: command.flag("log"))
        prepared = Result { [headings] in try vault.prepareRevalidation(headings.map(\.id)) }
    }

    func run() async throws {
        let output = ResultsOutput(json: command.flag("json"), log: command.flag("log"), headings: headings)
        let prepared: PreparedRevalidation
        do {
            prepared = try self.prepared.get()
        } catch {
            _ = try output.finish()
            throw error
        }
        // From the task, so that the engine threads get its priority; the runs below wait for them.
        if !headings.isEmpty { executor.startHTTPInBackground() }
        let progressLine = ProgressLine(enabled: headings.count > 1 && isatty(STDERR_FILENO) == 1)
        let (vault, concurrency, executor) = (vault, concurrency, executor)
        let task = Task {
            try await vault.revalidate(
                prepared, concurrency: Self.runsPerRequestSlot * concurrency, executor: executor,
                progress: { progressLine.show($0) },
                onEach: { result in
                    progressLine.clear()
                    try output.write(result)
                })
        }
        let interrupt = Interrupt { task.cancel() }
        let outcome = await task.result
        interrupt.disarm()
        progressLine.finish()
        let counts = try output.finish()
        let final = try outcome.get()
        if !command.flag("json") {
            StandardStreams.out(Self.summary(counts, total: final.total, removed: final.removed) + "\n")
        }
        let done = counts.values.reduce(0, +)
        if done + final.removed < headings.count {
            throw CommandError("interrupted: \(done) of \(headings.count) finished and were recorded", exitCode: .failure)
        }
        let notValid = done - (counts[.valid] ?? 0)
        if notValid > 0 {
            throw CommandError("\(notValid) of \(done) connections are not valid", exitCode: .notValid)
        }
    }

    /// The connections to revalidate: the ids given, or `--all` / `--due` (ascending by id), filtered by `--type`.
    static func selection(_ command: ParsedCommand, vault: Vault) throws -> [ConnectionHeading] {
        let typeName = command.string("type")
        if command.flag("all") {
            return try vault.connectionHeadings(typeName: typeName)
        }
        if command.flag("due") {
            let due = DueRule(
                expiringWithin: Durations.seconds(command.string("within") ?? "10m") ?? 600,
                verifiedOlderThan: Durations.seconds(command.string("older-than") ?? "24h") ?? 86_400)
            return try vault.connectionHeadings(typeName: typeName, due: due)
        }
        var headings: [ConnectionHeading] = []
        for reference in command.strings("id") {
            let connection = try vault.connection(ConnectionReference.resolve(reference, in: vault))
            if let typeName, connection.typeName != typeName { continue }
            if !headings.contains(where: { $0.id == connection.id }) {
                headings.append(ConnectionHeading(id: connection.id, name: connection.name))
            }
        }
        return headings
    }

    /// `N of M checked: …` after the table, and how many were removed by another process meanwhile.
    static func summary(_ counts: [Outcome: Int], total: Int, removed: Int = 0) -> String {
        let parts = Outcome.allCases.compactMap { outcome in counts[outcome].map { "\($0) \(outcome.rawValue)" } }
        return "\(counts.values.reduce(0, +)) of \(total) checked" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
            + (removed > 0 ? "; \(removed) removed meanwhile" : "")
    }
}

/// Writes each result as it is recorded: a table row, or an element of the `--json` array, and its `--log`.
///
/// Nothing is held per result but the counts, so revalidating 100,000 connections takes no more memory than 1,000.
/// The table's columns are sized up front: names from the selection, the other columns to their widest values.
final class ResultsOutput: Sendable {
    private let json: Bool
    private let log: Bool
    private let table: StreamingTable
    private let output = Mutex(StandardOutputBuffer())
    private let state = Mutex<(started: Bool, counts: [Outcome: Int])>((false, [:]))

    init(json: Bool, log: Bool, headings: [ConnectionHeading]) {
        self.json = json
        self.log = log
        table = StreamingTable([
            ("ID", 8), ("NAME", headings.map(\.name.count).max() ?? 0),
            ("OUTCOME", Outcome.allCases.map(\.rawValue.count).max() ?? 0), ("HTTP", 3), ("DURATION", 8),
            ("ERROR", 0),
        ])
    }

    func write(_ result: RevalidationResult) throws {
        let first = state.withLock { state in
            defer { state.started = true }
            state.counts[result.outcome, default: 0] += 1
            return !state.started
        }
        if log {
            for entry in result.run.log {
                StandardStreams.error("[\(result.id.uuidString.lowercased())] \(entry.compactJSON())\n")
            }
        }
        if json {
            var run = result.run
            run.outcome = result.outcome
            run.error = result.outcome == .valid ? nil : result.connection.lastError
            let document = VerificationCommands.runDocument(run, status: result.connection.status, id: result.id)
            let text = (first ? "[" : ",") + document.compactJSON()
            try append { $0.append(contentsOf: text.utf8) }
        } else {
            let cells = [
                ConnectionListing.shortID(result.id), result.connection.name, result.outcome.rawValue,
                result.run.httpStatus.map(String.init) ?? "-", "\(result.run.durationMs) ms",
                result.outcome == .valid ? "" : result.connection.lastError ?? "",
            ]
            try append { bytes in
                if first { table.append(table.header, to: &bytes) }
                table.append(cells, to: &bytes)  // straight into the buffer: no line of its own
            }
        }
    }

    /// Ends the output (the JSON array's bracket; the table's header when no row came) and returns the counts.
    func finish() throws -> [Outcome: Int] {
        let (started, counts) = state.withLock { ($0.started, $0.counts) }
        if json {
            try append { $0.append(contentsOf: (started ? "]\n" : "[]\n").utf8) }
        } else if !started {
            try append { table.append(table.header, to: &$0) }
        }
        try output.withLock { try $0.flush() }
        return counts
    }

    /// Lets `body` append to the output buffer, then writes the buffer out if it is full.
    private func append(_ body: (inout [UInt8]) -> Void) throws {
        try output.withLock { output in
            body(&output.bytes)
            try output.flushIfFull()
        }
    }
}

/// The live `done/total` line on a terminal's standard error.
final class ProgressLine: Sendable {
    private let enabled: Bool
    private let shown = Mutex(false)

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func show(_ progress: RevalidationProgress) {
        guard enabled else { return }
        let counts = Outcome.allCases.map { "\(progress.counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        shown.withLock { $0 = true }
        StandardStreams.error("\r\u{1B}[2K\(progress.done)/\(progress.total) done: \(counts)")
    }

    /// Erases the line, so that a `--log` line or a table row written to the same terminal starts clean.
    func clear() {
        guard enabled, shown.withLock({ $0 }) else { return }
        StandardStreams.error("\r\u{1B}[2K")
    }

    func finish() {
        if shown.withLock({ $0 }) { StandardStreams.error("\n") }
    }
}

/// Ctrl-C while a long command runs: calls `handler` once instead of killing the process.
final class Interrupt {
    private let source: any DispatchSourceSignal

    init(_ handler: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            StandardStreams.error("\nInterrupted: abandoning the runs in flight…\n")
            handler()
        }
        source.resume()
    }

    func disarm() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
