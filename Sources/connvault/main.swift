import ConnectionVault
import Foundation

/// The version `--version` prints.
let connvaultVersion = "0.1.0"

// No core dumps and no debugger attach while this process may hold keys.
ProcessHardening.apply()

let parser = CommandLineParser(root: ConnvaultCommandLine.root(version: connvaultVersion))
switch parser.action(for: Array(CommandLine.arguments.dropFirst())) {
case .exit(let text, let destination, let code):
    destination == .standardOutput ? StandardStreams.out(text) : StandardStreams.error(text)
    exit(code)
case .run(let command):
    do {
        try await Dispatcher.run(command)
        exit(0)
    } catch let error as CommandError {
        StandardStreams.error("Error: \(error.message)\n")
        exit(error.exitCode.rawValue)
    } catch let error as VaultError {
        let failure = CommandError(error)
        StandardStreams.error("Error: \(failure.message)\n")
        exit(failure.exitCode.rawValue)
    } catch let error as SpecError {
        StandardStreams.error("Error: \(error)\n")
        exit(CommandError.ExitCode.badInput.rawValue)
    } catch let error as ParameterError {
        StandardStreams.error("Error: \(error)\n")
        exit(CommandError.ExitCode.badInput.rawValue)
    } catch let error as UsageError {
        StandardStreams.error(parser.errorText(for: error))
        exit(CommandLineParser.usageExitCode)
    } catch {
        StandardStreams.error("Error: \(error)\n")
        exit(1)
    }
}
