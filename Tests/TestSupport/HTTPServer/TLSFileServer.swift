import Foundation

/// A throwaway certificate authority made with the `openssl` command-line tool.
public struct TestCertificateAuthority: Sendable {
    /// The CA certificate in PEM form.
    public let pem: String
    /// Where the CA certificate and key are.
    public let certificatePath: String
    let keyPath: String

    /// Whether the `openssl` tool is installed (tests that need it skip otherwise).
    public static var isAvailable: Bool { OpenSSLTool.path != nil }

    /// A new self-signed CA called `name`, written into `directory`.
    public init(name: String, in directory: TemporaryDirectory) throws {
        certificatePath = directory.file("\(name)-ca.pem")
        keyPath = directory.file("\(name)-ca.key")
        try OpenSSLTool.run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", keyPath, "-out", certificatePath, "-days", "2", "-subj", "/CN=ConnectionVault test CA \(name)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        pem = try String(contentsOfFile: certificatePath, encoding: .utf8)
    }

    /// Issues a server certificate for 127.0.0.1 and localhost; returns the certificate and key paths.
    public func issueServerCertificate(name: String, in directory: TemporaryDirectory) throws -> (
        certificate: String, key: String
    ) {
        let key = directory.file("\(name).key")
        let request = directory.file("\(name).csr")
        let certificate = directory.file("\(name).pem")
        let extensions = directory.file("\(name).ext")
        try OpenSSLTool.run([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
            "-out", request, "-subj", "/CN=127.0.0.1",
        ])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(toFile: extensions, atomically: true, encoding: .utf8)
        try OpenSSLTool.run([
            "x509", "-req", "-in", request, "-CA", certificatePath, "-CAkey", keyPath, "-CAcreateserial",
            "-out", certificate, "-days", "2", "-extfile", extensions,
        ])
        return (certificate, key)
    }
}

/// An HTTPS server on 127.0.0.1 serving files from a directory: `openssl s_server -WWW` with a certificate
/// from a ``TestCertificateAuthority``. HTTP/1.0, one connection at a time: enough for certificate tests.
public final class TLSFileServer: Sendable {
    /// The port the server listens on.
    public let port: UInt16
    private let process: KillableProcess

    /// Serves `files` (name → contents) with a certificate issued by `authority`.
    public init(files: [String: String], authority: TestCertificateAuthority, directory: TemporaryDirectory) throws {
        let (certificate, key) = try authority.issueServerCertificate(name: "server", in: directory)
        let root = directory.file("www")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (name, contents) in files {
            try contents.write(toFile: root + "/" + name, atomically: true, encoding: .utf8)
        }
        let log = directory.file("s_server.out")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try OpenSSLTool.require())
        process.arguments = ["s_server", "-accept", "127.0.0.1:0", "-WWW", "-cert", certificate, "-key", key]
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = KillableProcess(process)
        // s_server prints `ACCEPT 127.0.0.1:<port>` once it listens.
        let deadline = ContinuousClock.now + .seconds(10)
        var found: UInt16?
        while found == nil, ContinuousClock.now < deadline, process.isRunning {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }),
                let port = line.split(separator: ":").last.flatMap({ UInt16($0) })
            {
                found = port
            } else {
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        guard let found else {
            self.process.kill()
            throw OpenSSLTool.Failure(message: "openssl s_server did not start")
        }
        port = found
    }

    deinit { stop() }

    /// `https://127.0.0.1:<port><path>`.
    public func url(_ path: String) -> String { "https://127.0.0.1:\(port)\(path)" }

    /// Stops the server process.
    public func stop() { process.kill() }
}

/// Runs the `openssl` command-line tool.
enum OpenSSLTool {
    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    static let path: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func require() throws -> String {
        guard let path else { throw Failure(message: "the openssl tool is not installed") }
        return path
    }

    /// Runs `openssl` with `arguments` and returns what it printed.
    static func output(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try require())
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(message: "openssl \(arguments.first ?? "") failed with status \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try require())
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(message: "openssl \(arguments.first ?? "") failed with status \(process.terminationStatus)")
        }
    }
}
