import Foundation
import Glibc
import Synchronization

/// A scripted HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for tests: every request goes to a handler
/// that returns a ``ScriptedResponse``, which may misbehave on purpose (delay, drip, hang, close early, raw
/// bytes, endless bodies). Requests are recorded for assertions, and the peak number of requests being
/// handled at once is tracked.
///
/// Each connection runs on its own thread and may carry several requests (keep-alive). Call ``stop()`` when
/// done (`defer { server.stop() }` also keeps the server alive for the whole test); it wakes every thread.
public final class ScriptedHTTPServer: Sendable {
    public typealias Handler = @Sendable (RecordedRequest) -> ScriptedResponse

    /// The port the server listens on.
    public let port: UInt16
    private let state: ServerState

    /// Starts listening; throws when no socket can be bound.
    public init(_ handler: @escaping Handler) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw ServerError.socket("socket", errno) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 512) == 0 else {
            let code = errno
            close(listener)
            throw ServerError.socket("bind/listen", code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        state = try ServerState(listener: listener, handler: handler)
        let state = self.state
        let thread = Thread { state.acceptLoop() }
        thread.name = "scripted-http-accept"
        thread.start()
    }

    deinit { state.stop() }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The absolute URL of `path` (which starts with `/`) on this server.
    public func url(_ path: String) -> String { baseURL + path }

    /// Every request received so far, in arrival order.
    public var requests: [RecordedRequest] { state.shared.withLock { $0.requests } }

    /// The most requests the handler side was processing at once (from a request fully read until its
    /// response started to be written or the connection ended): never more than the client had outstanding, as long
    /// as it waits for its answers (a request it gave up on still counts until its scripted delay or hang ends).
    public var peakConcurrentRequests: Int { state.shared.withLock { $0.peak } }

    /// How many requests are being handled right now.
    public var inFlightRequests: Int { state.shared.withLock { $0.inFlight } }

    /// How many connections were accepted.
    public var connectionCount: Int { state.shared.withLock { $0.connections } }

    /// How many response bytes were written, all connections together.
    public var bytesWritten: Int { state.shared.withLock { $0.bytesWritten } }

    /// Stops accepting and wakes every connection thread so it closes its socket.
    public func stop() { state.stop() }
}

/// A socket call that failed while starting the server.
public enum ServerError: Error, CustomStringConvertible {
    case socket(String, Int32)

    public var description: String {
        switch self {
        case .socket(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}

/// What the server's threads share.
final class ServerState: Sendable {
    struct Shared {
        var requests: [RecordedRequest] = []
        var inFlight = 0
        var peak = 0
        var connections = 0
        var bytesWritten = 0
        var clients: Set<Int32> = []
        var stopped = false
    }

    let shared = Mutex(Shared())
    let handler: ScriptedHTTPServer.Handler
    private let listener: Int32
    /// A pipe whose read end becomes readable (and stays so) once the server stops: every wait polls it.
    private let stopRead: Int32
    private let stopWrite: Int32

    init(listener: Int32, handler: @escaping ScriptedHTTPServer.Handler) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            close(listener)
            throw ServerError.socket("pipe2", errno)
        }
        self.listener = listener
        self.handler = handler
        stopRead = fds[0]
        stopWrite = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    }

    deinit {
        close(stopRead)
        close(stopWrite)
    }

    var isStopped: Bool { shared.withLock { $0.stopped } }

    func stop() {
        let clients = shared.withLock { shared -> Set<Int32>? in
            guard !shared.stopped else { return nil }
            shared.stopped = true
            // Under the lock, so no client socket is closed (and its number reused) in between.
            for client in shared.clients { shutdown(client, Int32(SHUT_RDWR)) }
            return shared.clients
        }
        if clients != nil {
            var byte: UInt8 = 1
            _ = write(stopWrite, &byte, 1)
        }
    }

    // MARK: Waiting

    enum Readiness { case ready, stopped, timeout }

    /// Waits until `fd` has `events` (or hangs up), the server stops, or `timeout` (nil: forever) passes.
    func wait(_ fd: Int32, events: Int16, timeout: Duration?) -> Readiness {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            var fds = [pollfd(fd: stopRead, events: Int16(POLLIN), revents: 0)]
            if fd >= 0 { fds.append(pollfd(fd: fd, events: events, revents: 0)) }
            var milliseconds: Int32 = -1
            if let deadline {
                let left = ContinuousClock.now.duration(to: deadline)
                if left <= .zero { return .timeout }
                let (seconds, attoseconds) = left.components
                milliseconds = Int32(min(seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1, 60_000))
            }
            let result = poll(&fds, nfds_t(fds.count), milliseconds)
            if result < 0, errno == EINTR { continue }
            if fds[0].revents != 0 { return .stopped }
            if fds.count > 1, fds[1].revents != 0 { return .ready }
            if result == 0, deadline == nil { continue }
        }
    }

    /// Sleeps for `duration` unless the server stops first; returns false when it stopped.
    func sleep(_ duration: Duration) -> Bool {
        wait(-1, events: 0, timeout: duration) == .timeout
    }

    // MARK: Accepting

    func acceptLoop() {
        while wait(listener, events: Int16(POLLIN), timeout: nil) == .ready {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            var yes: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let number = shared.withLock { shared -> Int? in
                guard !shared.stopped else { return nil }
                shared.connections += 1
                shared.clients.insert(client)
                return shared.connections
            }
            guard let number else {
                close(client)
                break
            }
            let connection = ServerConnection(state: self, socket: client, number: number)
            let thread = Thread { connection.run() }
            thread.name = "scripted-http-connection"
            thread.stackSize = 256 * 1024
            thread.start()
        }
        close(listener)
    }

    /// Closes a client socket and forgets it (under the lock: see ``stop()``).
    func closeClient(_ client: Int32) {
        shared.withLock { shared in
            shared.clients.remove(client)
            close(client)
        }
    }
}
