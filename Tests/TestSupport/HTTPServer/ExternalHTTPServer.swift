import Foundation
import Glibc

/// A real HTTP server that nobody here wrote, started on loopback for interoperability tests: httpbin (from
/// PyPI, served by Python's `wsgiref`) or Apache httpd (from Debian, with `mod_auth_digest`). Tests skip when
/// the software is not installed; `.ci/run` installs it.
public final class ExternalHTTPServer: Sendable {
    /// The port the server listens on.
    public let port: UInt16
    private let process: KillableProcess

    /// `http://127.0.0.1:<port><path>`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Stops the server.
    public func stop() { process.kill() }

    deinit { stop() }

    private init(port: UInt16, process: KillableProcess) {
        self.port = port
        self.process = process
    }

    // MARK: httpbin

    private static let httpbinScript = """
        import sys, wsgiref.simple_server, httpbin
        class Quiet(wsgiref.simple_server.WSGIRequestHandler):
            def log_message(self, *args): pass
        server = wsgiref.simple_server.make_server("127.0.0.1", 0, httpbin.app, handler_class=Quiet)
        print("PORT", server.server_port, flush=True)
        server.serve_forever()
        """

    /// Whether `python3` can import `httpbin` (`pip install httpbin`).
    public static let httpbinAvailable: Bool = {
        guard let python = executable("python3") else { return false }
        return (try? run(python, ["-c", "import httpbin"])) == 0
    }()

    /// httpbin on an ephemeral port.
    public static func httpbin(in directory: TemporaryDirectory) throws -> ExternalHTTPServer {
        guard let python = executable("python3") else { throw LaunchError(message: "python3 is not installed") }
        return try launch(python, ["-c", httpbinScript], log: directory.file("httpbin.log")) { log in
            log.split(separator: "\n").first { $0.hasPrefix("PORT ") }.flatMap { UInt16($0.dropFirst(5)) }
        }
    }

    // MARK: Apache httpd

    /// Where Debian's `apache2` package puts the server and its modules.
    private static let apacheBinary = "/usr/sbin/apache2"
    private static let apacheModules = "/usr/lib/apache2/modules"

    /// Whether Apache httpd with `mod_auth_digest` is installed (Debian: `apache2`).
    public static var apacheAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: apacheBinary)
            && FileManager.default.fileExists(atPath: apacheModules + "/mod_auth_digest.so")
    }

    /// Apache httpd on a free loopback port, in the foreground, serving `/digest/` behind Digest (MD5, realm
    /// `realm`) and `/basic/` behind Basic, both for `user` with `password`; everything else is open. Each
    /// directory has an `index.txt`, its index.
    public static func apache(
        in directory: TemporaryDirectory, user: String, password: String, realm: String
    ) throws -> ExternalHTTPServer {
        let root = directory.file("apache")
        for folder in ["", "/htdocs", "/htdocs/digest", "/htdocs/basic", "/logs"] {
            try FileManager.default.createDirectory(atPath: root + folder, withIntermediateDirectories: true)
        }
        for folder in ["", "/digest", "/basic"] {
            try "hello from apache\n".write(
                toFile: root + "/htdocs\(folder)/index.txt", atomically: true, encoding: .utf8)
        }
        // htdigest's format is user:realm:MD5(user:realm:password); Basic takes an APR1-MD5 hash.
        let ha1Input = directory.file("ha1.txt")
        try "\(user):\(realm):\(password)".write(toFile: ha1Input, atomically: true, encoding: .utf8)
        let ha1 = try OpenSSLTool.output(["dgst", "-md5", "-r", ha1Input]).prefix { $0 != " " }
        try "\(user):\(realm):\(ha1)\n".write(toFile: root + "/digest.passwd", atomically: true, encoding: .utf8)
        let hash = try OpenSSLTool.output(["passwd", "-apr1", password]).trimmingCharacters(in: .whitespacesAndNewlines)
        try "\(user):\(hash)\n".write(toFile: root + "/basic.passwd", atomically: true, encoding: .utf8)
        let port = try freeLoopbackPort()
        let modules = [
            "mpm_event", "authn_core", "authn_file", "authz_core", "authz_user", "auth_basic", "auth_digest", "mime",
            "dir",
        ]
        let config = """
            ServerRoot "\(root)"
            PidFile "\(root)/httpd.pid"
            Listen 127.0.0.1:\(port)
            ServerName 127.0.0.1
            \(modules.map { "LoadModule \($0)_module \(apacheModules)/mod_\($0).so" }.joined(separator: "\n"))
            User nobody
            Group nogroup
            ErrorLog "\(root)/logs/error.log"
            LogLevel warn
            DocumentRoot "\(root)/htdocs"
            TypesConfig /etc/mime.types
            DirectoryIndex index.txt
            <Directory "\(root)/htdocs">
                Require all granted
            </Directory>
            <Directory "\(root)/htdocs/digest">
                AuthType Digest
                AuthName "\(realm)"
                AuthDigestProvider file
                AuthUserFile "\(root)/digest.passwd"
                Require valid-user
            </Directory>
            <Directory "\(root)/htdocs/basic">
                AuthType Basic
                AuthName "\(realm)"
                AuthBasicProvider file
                AuthUserFile "\(root)/basic.passwd"
                Require valid-user
            </Directory>

            """
        try config.write(toFile: root + "/httpd.conf", atomically: true, encoding: .utf8)
        // Apache's workers run as `nobody`: they must be able to read the tree.
        _ = try? run("/bin/chmod", ["-R", "a+rX", directory.path])
        return try launch(apacheBinary, ["-X", "-f", root + "/httpd.conf"], log: root + "/logs/stdout.log") { _ in
            canConnect(port) ? port : nil
        }
    }

    // MARK: Launching

    struct LaunchError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Starts `executable` and polls `readyPort` (given the log so far) until it names the listening port.
    private static func launch(
        _ executable: String, _ arguments: [String], log: String, readyPort: (String) -> UInt16?
    ) throws -> ExternalHTTPServer {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let box = KillableProcess(process)
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline, process.isRunning {
            if let port = readyPort((try? String(contentsOfFile: log, encoding: .utf8)) ?? "") {
                return ExternalHTTPServer(port: port, process: box)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        box.kill()
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw LaunchError(message: "\(executable) did not start: \(text.suffix(500))")
    }

    /// The path of `name` on the usual system paths, if installed.
    static func executable(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return (paths + ["/usr/local/bin", "/usr/bin", "/bin"]).map { $0 + "/" + name }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs a command to completion, discarding its output; returns its exit status.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A loopback port that was free a moment ago (for servers that cannot bind port 0 and report it).
    static func freeLoopbackPort() throws -> UInt16 {
        let probe = try ScriptedHTTPServer { _ in ScriptedResponse() }
        defer { probe.stop() }
        return probe.port
    }

    /// Whether something accepts connections on 127.0.0.1:`port`.
    static func canConnect(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// A `Process` (not `Sendable`) reached only to kill it.
final class KillableProcess: @unchecked Sendable {
    private let process: Process
    init(_ process: Process) { self.process = process }

    /// Kills the process with SIGKILL (children of the test runner inherit a mask that blocks SIGTERM) and
    /// waits for it.
    func kill() {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
