/// The parser's verdict turned into what the executable does: run a command, or write a text and exit.
extension CommandLineParser {
    /// Where a text goes.
    enum Destination: Sendable, Hashable {
        case standardOutput
        case standardError
    }

    /// What the executable does with its command line.
    enum Action: Sendable, Hashable {
        /// Run this command; its exit code is the command's business.
        case run(ParsedCommand)
        /// Write this text as it is, then exit with this code: help and version (0), usage errors (64).
        case exit(text: String, to: Destination, code: Int32)
    }

    /// The exit code of a usage error.
    static let usageExitCode: Int32 = 64

    /// Parses `arguments` (without the executable's own name) and decides what the executable does.
    func action(for arguments: [String]) -> Action {
        do {
            switch try parse(arguments) {
            case .run(let command):
                return .run(command)
            case .help(let path):
                return .exit(text: helpText(for: path), to: .standardOutput, code: 0)
            case .version(let version):
                return .exit(text: version + "\n", to: .standardOutput, code: 0)
            }
        } catch {
            return .exit(text: errorText(for: error), to: .standardError, code: Self.usageExitCode)
        }
    }
}
