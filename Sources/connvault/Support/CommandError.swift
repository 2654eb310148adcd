import ConnectionVault

/// A failure that ends a command: the message for `Error: …` and the exit code of cli.md.
struct CommandError: Error, Sendable {
    /// The exit codes of the CLI contract.
    enum ExitCode: Int32, Sendable {
        case failure = 1
        case notValid = 2
        case usage = 64
        case badInput = 65
        case keyProblem = 77
    }

    let message: String
    let exitCode: ExitCode

    init(_ message: String, exitCode: ExitCode = .failure) {
        self.message = message
        self.exitCode = exitCode
    }

    /// The CLI's reading of a vault error: key problems exit 77, bad input 65, the rest 1.
    init(_ error: VaultError) {
        switch error {
        case .wrongKey, .malformedKey, .keyFilePermissions, .keyFileUnreadable:
            self.init(error.description, exitCode: .keyProblem)
        case .invalidInput, .typeNotFound, .connectionNotFound:
            self.init(error.description, exitCode: .badInput)
        default:
            self.init(error.description, exitCode: .failure)
        }
    }
}
