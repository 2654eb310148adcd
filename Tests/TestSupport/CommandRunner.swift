public import Foundation
import Glibc

/// Runs a built executable of this package (`connvault`, `VaultStress`…) as a subprocess.
public struct CommandRunner: Sendable {
    /// What a run printed and how it ended.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The executable's path.
    public let executable: URL
    /// The environment every run starts from: the caller's, minus every `CONNVAULT_*` and `XDG_*` variable.
    public var environment: [String: String]

    /// The built product called `name`, found beside the test bundle.
    public init(product name: String) {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        ].map { $0.appendingPathComponent(name) }
        executable = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
        environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("CONNVAULT_") && !$0.key.hasPrefix("XDG_")
        }
    }

    /// Runs with `arguments`, extra `environment` entries and `stdin`, reading both pipes before waiting.
    public func run(_ arguments: [String], environment extra: [String: String] = [:], stdin: String? = nil) throws
        -> Result
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment.merging(extra) { $1 }
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        Self.writeAndClose(stdin.map { Data($0.utf8) }, to: input.fileHandleForWriting)
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self))
    }

    /// Writes `data` to a child's standard input and closes it. A child that exits without reading (a command that
    /// fails before it gets to its input) closes the pipe: the write then fails with EPIPE instead of raising
    /// SIGPIPE, which would end the whole test process. The write runs on its own thread with SIGPIPE blocked.
    static func writeAndClose(_ data: Data?, to handle: FileHandle) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var pipeSignal = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
            if let data, !data.isEmpty {
                data.withUnsafeBytes { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        let written = Glibc.write(handle.fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
                        if written < 0, errno == EINTR { continue }
                        guard written > 0 else { break }
                        offset += written
                    }
                }
            }
            try? handle.close()
            done.signal()  // a SIGPIPE left pending on this thread goes with it
        }
        thread.start()
        done.wait()
    }
}
