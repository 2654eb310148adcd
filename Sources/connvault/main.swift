import ConnectionVault
import Foundation

/// The version `--version` prints.
let connvaultVersion = "0.1.0"

// No core dumps and no debugger attach while this process may hold keys.
ProcessHardening.apply()
// This process reads no SQLite memory statistics: without them every SQLite allocation skips a global lock.
Vault.turnOffSQLiteMemoryStatistics()

let parser = CommandLineParser(root: ConnvaultCommandLine.root(version: connvaultVersion))
switch parser.action(for: Array(CommandLine.arguments.dropFirst())) {
case .exit(let text, let destination, let code):
    destination == .standardOutput ? StandardStreams.out(text) : StandardStreams.error(text)
    exit(code)
case .run(let command) where Dispatcher.asynchronous.contains(command.name):
    // Flows over HTTP. libcurl starts loading on a thread of its own while this thread opens the vault; the rest of
    // the command runs in a task, and the main thread serves the main queue until the process exits. A batch
    // command's process settings come first, so that they hold for every thread made from here on.
    if Dispatcher.batch.contains(command.name) { BatchProcess.configure() }
    Executor.startLoadingHTTP()
    let rest: @Sendable () async throws -> Void
    do {
        rest = try Dispatcher.prepareAsynchronously(command)
    } catch {
        fail(error, parser: parser)
    }
    Task {
        do {
            try await rest()
            Executor.waitForHTTPLoad()
            exit(0)
        } catch {
            fail(error, parser: parser)
        }
    }
    dispatchMain()
case .run(let command):
    // Everything else runs here, on the main thread: no await, so no thread pool is started (~0.5 ms).
    do {
        try Dispatcher.run(command)
        exit(0)
    } catch {
        fail(error, parser: parser)
    }
}

/// Writes `error` as cli.md asks and exits with its code, once a libcurl load in progress is done (at once when
/// none is: a process exiting while another thread runs a library's initialisers can crash in exit's cleanup).
func fail(_ error: any Error, parser: CommandLineParser) -> Never {
    Executor.waitForHTTPLoad()
    switch error {
    case let error as CommandError:
        StandardStreams.error("Error: \(error.message)\n")
        exit(error.exitCode.rawValue)
    case let error as VaultError:
        let failure = CommandError(error)
        StandardStreams.error("Error: \(failure.message)\n")
        exit(failure.exitCode.rawValue)
    case let error as SpecError:
        StandardStreams.error("Error: \(error)\n")
        exit(CommandError.ExitCode.badInput.rawValue)
    case let error as ParameterError:
        StandardStreams.error("Error: \(error)\n")
        exit(CommandError.ExitCode.badInput.rawValue)
    case let error as UsageError:
        StandardStreams.error(parser.errorText(for: error))
        exit(CommandLineParser.usageExitCode)
    default:
        StandardStreams.error("Error: \(error)\n")
        exit(1)
    }
}
