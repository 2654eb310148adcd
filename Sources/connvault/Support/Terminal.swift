#if canImport(Glibc)
import Glibc
#endif
import ConnectionVault

/// Prompts on the controlling terminal.
enum Terminal {
    /// Whether standard input is a terminal (prompts appear only then).
    static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Reads one line from standard input with echo off, straight into guarded memory.
    ///
    /// Returns nil when standard input is not a terminal or is closed.
    static func readSecret(prompt: String) -> SecureBytes? {
        guard standardInputIsTerminal else { return nil }
        StandardStreams.error(prompt)
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
            StandardStreams.error("\n")
        }
        var line = [UInt8](repeating: 0, count: 1024)
        defer { for index in line.indices { line[index] = 0 } }
        var count = 0
        while count < line.count {
            var byte: UInt8 = 0
            guard read(STDIN_FILENO, &byte, 1) == 1 else { break }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
            line[count] = byte
            count += 1
        }
        return SecureBytes(copying: line.prefix(count))
    }
}
