import Foundation

/// Standard output through a 64 KiB buffer: one `write(2)` per 64 KiB rather than one per piece, so a long document
/// (`list --json` of 100,000 connections) goes out while it is made instead of being built whole first.
///
/// Call ``flush()`` at the end: what is still buffered is not written otherwise. Other writers to standard output
/// (``StandardStreams``) must not run between the first append and that flush.
struct StandardOutputBuffer {
    /// What is waiting to be written; append to it, then call ``flushIfFull()``.
    var bytes: [UInt8] = []
    private let limit: Int
    private let fileDescriptor: Int32

    init(limit: Int = 1 << 16, fileDescriptor: Int32 = STDOUT_FILENO) {
        self.limit = limit
        self.fileDescriptor = fileDescriptor
        bytes.reserveCapacity(limit + 4096)
    }

    /// Writes the buffer out once it holds at least the limit.
    mutating func flushIfFull() throws {
        if bytes.count >= limit { try flush() }
    }

    /// Appends `piece`, writing the buffer out once it is full.
    mutating func write(_ piece: [UInt8]) throws {
        bytes.append(contentsOf: piece)
        try flushIfFull()
    }

    /// Writes everything buffered.
    mutating func flush() throws {
        let descriptor = fileDescriptor
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw CommandError("cannot write to standard output: \(String(cString: strerror(code)))")
                }
                offset += written
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
