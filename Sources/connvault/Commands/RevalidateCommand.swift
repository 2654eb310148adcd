import ConnectionVault
import Foundation
import IML
import Synchronization

/// `connvault revalidate (ID... | --all | --due) …`: verifies stored connections again, concurrently.
enum RevalidateCommand {
    static func run(_ command: ParsedCommand, vault: Vault) async throws {
        let ids = try selection(command, vault: vault)
        let concurrency = command.int("concurrency") ?? 8
        let showProgress = ids.count > 1 && isatty(STDERR_FILENO) == 1
        let progressLine = ProgressLine(enabled: showProgress)
        let task = Task {
            try await vault.revalidate(ids, concurrency: concurrency, executor: VerificationCommands.executor(concurrency: concurrency)) {
                progressLine.show($0)
            }
        }
        let interrupt = Interrupt { task.cancel() }
        let results = try await task.value
        interrupt.disarm()
        progressLine.finish()

        if command.flag("log") {
            for result in results {
                for entry in result.run.log {
                    StandardStreams.error("[\(result.id.uuidString.lowercased())] \(entry.compactJSON())\n")
                }
            }
        }
        if command.flag("json") {
            JSONDocuments.print(.array(results.map {
                var run = $0.run
                run.outcome = $0.outcome
                run.error = $0.outcome == .valid ? nil : $0.connection.lastError
                return VerificationCommands.runDocument(run, status: $0.connection.status, id: $0.id)
            }))
        } else {
            var table = Table("ID", "NAME", "OUTCOME", "HTTP", "DURATION", "ERROR")
            for result in results {
                table.add(
                    String(result.id.uuidString.lowercased().prefix(8)), result.connection.name, result.outcome.rawValue,
                    result.run.httpStatus.map(String.init) ?? "-", "\(result.run.durationMs) ms",
                    result.outcome == .valid ? "" : result.connection.lastError ?? "")
            }
            StandardStreams.out(table.text)
            StandardStreams.out(summary(results, total: ids.count) + "\n")
        }
        if results.count < ids.count {
            throw CommandError("interrupted: \(results.count) of \(ids.count) finished and were recorded", exitCode: .failure)
        }
        if results.contains(where: { $0.outcome != .valid }) {
            throw CommandError("\(results.filter { $0.outcome != .valid }.count) of \(results.count) connections are not valid",
                               exitCode: .notValid)
        }
    }

    /// The connections to revalidate: the ids given, or `--all` / `--due` (ascending by id), filtered by `--type`.
    static func selection(_ command: ParsedCommand, vault: Vault) throws -> [UUID] {
        let typeName = command.string("type")
        if command.flag("all") || command.flag("due") {
            var connections = try vault.connections(ConnectionFilter(typeName: typeName))
            if command.flag("due") {
                let within = Durations.seconds(command.string("within") ?? "10m") ?? 600
                let olderThan = Durations.seconds(command.string("older-than") ?? "24h") ?? 86_400
                let now = Date()
                connections = connections.filter { connection in
                    if let expires = connection.expiresAt, expires.timeIntervalSince(now) <= within { return true }
                    guard let verified = connection.verifiedAt else { return true }
                    return now.timeIntervalSince(verified) > olderThan
                }
            }
            return connections.map(\.id)
        }
        var ids: [UUID] = []
        for reference in command.strings("id") {
            let id = try ConnectionReference.resolve(reference, in: vault)
            if let typeName, try vault.connection(id).typeName != typeName { continue }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    static func summary(_ results: [RevalidationResult], total: Int) -> String {
        let counts = Dictionary(grouping: results, by: \.outcome).mapValues(\.count)
        let parts = Outcome.allCases.compactMap { outcome in counts[outcome].map { "\($0) \(outcome.rawValue)" } }
        return "\(results.count) of \(total) checked" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
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
