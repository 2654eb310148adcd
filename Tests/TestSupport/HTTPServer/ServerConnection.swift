import Foundation
import Glibc
import Synchronization

/// One accepted connection: reads requests, asks the handler, writes scripted responses.
final class ServerConnection: Sendable {
    private let state: ServerState
    private let socket: Int32
    private let number: Int

    init(state: ServerState, socket: Int32, number: Int) {
        self.state = state
        self.socket = socket
        self.number = number
    }

    func run() {
        var reader = RequestReader(socket: socket, state: state)
        while let parsed = reader.next() {
            let request = RecordedRequest(
                method: parsed.method, target: parsed.target, headers: parsed.headers, body: parsed.body,
                connection: number)
            state.shared.withLock { shared in
                shared.requests.append(request)
                shared.inFlight += 1
                shared.peak = max(shared.peak, shared.inFlight)
            }
            var response = state.handler(request)
            if parsed.method == "HEAD", case .normal = response.behaviour {
                response = ScriptedResponse(
                    status: response.status,
                    headers: response.headers.contains { $0.name.lowercased() == "content-length" }
                        ? response.headers : response.headers + [("Content-Length", "\(response.body.count)")],
                    body: [])
            }
            let closes = response.headers.contains {
                $0.name.lowercased() == "connection" && $0.value.lowercased() == "close"
            }
            // A request stops counting as in flight when its answer starts: once the client can have read it, it
            // may send its next request, which must not find this one still counted.
            var counted = true
            let answered = { [state] in
                if counted { state.shared.withLock { $0.inFlight -= 1 } }
                counted = false
            }
            let keepOpen = deliver(response, answering: answered) && !parsed.wantsClose && !closes
            answered()
            if !keepOpen { break }
        }
        state.closeClient(socket)
    }

    /// Writes `response` as scripted, calling `answering` before its first byte; returns whether the connection can
    /// carry another request.
    private func deliver(_ response: ScriptedResponse, answering: () -> Void) -> Bool {
        func send(_ bytes: [UInt8]) -> Bool { send(bytes[...]) }
        func send(_ bytes: ArraySlice<UInt8>) -> Bool {
            answering()
            return write(bytes)
        }
        switch response.behaviour {
        case .normal:
            return send(response.head(contentLength: response.body.count) + response.body)
        case .delay(let duration):
            guard state.sleep(duration) else { return false }
            return send(response.head(contentLength: response.body.count) + response.body)
        case .drip(let chunk, let interval):
            let bytes = response.head(contentLength: response.body.count) + response.body
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + max(1, chunk))
                guard send(bytes[offset..<end]) else { return false }
                offset = end
                if offset < bytes.count, !state.sleep(interval) { return false }
            }
            return true
        case .hang:
            // Wait for the client to give up (readable with EOF) or the server to stop; never answer.
            var scratch = [UInt8](repeating: 0, count: 4096)
            while state.wait(socket, events: Int16(POLLIN), timeout: nil) == .ready {
                if recv(socket, &scratch, scratch.count, 0) <= 0 { break }
            }
            return false
        case .closeAfter(let count):
            let bytes = response.head(contentLength: response.body.count) + response.body
            _ = send(bytes.prefix(count))
            return false
        case .raw(let bytes):
            _ = send(bytes[...])
            return false
        case .stream(let total):
            guard send(response.head(contentLength: total)[...]) else { return false }
            let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
            var left = total
            while left > 0 {
                let count = min(left, filler.count)
                guard send(filler[..<count]) else { return false }
                left -= count
            }
            return true
        }
    }

    /// Writes every byte (blocking); false when the peer went away or the server stopped (which shuts the socket).
    private func write(_ bytes: ArraySlice<UInt8>) -> Bool {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
            state.shared.withLock { $0.bytesWritten += written }
            if state.isStopped { return false }
        }
        return true
    }
}
