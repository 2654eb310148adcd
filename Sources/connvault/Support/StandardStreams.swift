import Foundation

/// Writing to the standard streams (through FileHandle: Glibc's `stderr` is shared mutable state).
enum StandardStreams {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
