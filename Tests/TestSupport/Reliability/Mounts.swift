import Foundation
import Glibc

/// Mounts for fault tests, as root: a small tmpfs to fill up, a read-only view of a folder. Each is unmounted
/// (lazily, so a process still inside cannot keep it) when released, whatever the test's outcome.
public final class TestMount: Sendable {
    /// The mount point.
    public let path: String
    private let directory: TemporaryDirectory

    private init(directory: TemporaryDirectory, path: String) {
        self.directory = directory
        self.path = path
    }

    deinit {
        _ = Self.run("/bin/umount", ["-l", path])
    }

    /// The path of `name` inside the mount.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Unmounts now (also done on release).
    public func unmount() {
        _ = Self.run("/bin/umount", ["-l", path])
    }

    /// A fresh tmpfs of `size` bytes, or nil with the reason when this process may not mount (not root, or a
    /// container without CAP_SYS_ADMIN).
    public static func tmpfs(size: Int) -> Result<TestMount, Refusal> {
        let directory = TemporaryDirectory("connvault-tmpfs")
        let point = directory.file("mnt")
        mkdir(point, 0o700)
        let (status, output) = run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", point])
        guard status == 0 else { return .failure(Refusal(reason: "mount -t tmpfs failed (\(status)): \(output)")) }
        return .success(TestMount(directory: directory, path: point))
    }

    /// A read-only bind mount of `folder`, or the reason it cannot be made.
    public static func readOnlyView(of folder: String) -> Result<TestMount, Refusal> {
        let directory = TemporaryDirectory("connvault-ro")
        let point = directory.file("ro")
        mkdir(point, 0o700)
        let (status, output) = run("/bin/mount", ["--bind", folder, point])
        guard status == 0 else { return .failure(Refusal(reason: "mount --bind failed (\(status)): \(output)")) }
        let mount = TestMount(directory: directory, path: point)
        let (remount, remountOutput) = run("/bin/mount", ["-o", "remount,ro,bind", point])
        guard remount == 0 else { return .failure(Refusal(reason: "remount read-only failed: \(remountOutput)")) }
        return .success(mount)
    }

    /// Why a mount could not be made.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// Bytes still free on the file system holding `path`.
    public static func freeBytes(_ path: String) -> Int {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return -1 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    /// Fills the file system holding `folder` with a file called `name`, leaving about `leave` bytes free.
    @discardableResult
    public static func fill(_ folder: String, leaving leave: Int, name: String = "filler") -> String {
        let path = folder + "/" + name
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        precondition(descriptor >= 0, "cannot create \(path)")
        defer { close(descriptor) }
        let block = [UInt8](repeating: 0xA5, count: 4096)
        while freeBytes(folder) > leave + block.count {
            guard write(descriptor, block, block.count) == block.count else { break }
        }
        var small = [UInt8](repeating: 0xA5, count: 512)
        while freeBytes(folder) > leave, write(descriptor, &small, small.count) == small.count {}
        return path
    }

    /// Runs a system tool and returns its status and combined output.
    public static func run(_ executable: String, _ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
