import ConnectionVault

/// Passphrases from an environment variable, else asked on the terminal without echo.
enum PassphraseInput {
    /// The passphrase in `$variable`, else asked (twice when `confirm`, to catch a typo in a new one).
    /// Empty passphrases and a missing terminal are key problems (exit 77).
    static func read(_ variable: String, environment: [String: String], prompt: String, confirm: Bool) throws
        -> SecureBytes
    {
        if let text = environment[variable] {
            guard !text.isEmpty else { throw CommandError("$\(variable) is empty", exitCode: .keyProblem) }
            return SecureBytes(copying: text.utf8)
        }
        guard let first = Terminal.readSecret(prompt: "\(prompt): ") else {
            throw CommandError("a passphrase is needed: set $\(variable) or run on a terminal", exitCode: .keyProblem)
        }
        guard first.count > 0 else { throw CommandError("the passphrase is empty", exitCode: .keyProblem) }
        if confirm {
            guard let second = Terminal.readSecret(prompt: "Repeat the \(prompt.lowercased()): "),
                first.constantTimeEquals(second)
            else { throw CommandError("the two passphrases differ", exitCode: .keyProblem) }
        }
        return first
    }
}
