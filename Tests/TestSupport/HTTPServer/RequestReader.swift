import Foundation
import Glibc

/// A request as read from the wire.
struct ParsedRequest {
    var method: String
    var target: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// HTTP/1.0 or `Connection: close`.
    var wantsClose: Bool
}

/// Reads HTTP/1.1 requests from a socket: request line, headers, and a `Content-Length` or chunked body.
/// Bytes after one request (pipelining, keep-alive) are kept for the next.
struct RequestReader {
    let socket: Int32
    let state: ServerState
    private var buffer: [UInt8] = []
    private var closed = false

    /// Heads longer than this end the connection.
    static let maxHead = 256 * 1024

    init(socket: Int32, state: ServerState) {
        self.socket = socket
        self.state = state
    }

    /// The next request, or `nil` when the client closed, the server stopped or the request is malformed.
    mutating func next() -> ParsedRequest? {
        guard let headEnd = fill(until: { $0.firstRange(of: [13, 10, 13, 10])?.upperBound }) else { return nil }
        let head = String(decoding: buffer[..<(headEnd - 4)], as: UTF8.self)
        buffer.removeFirst(headEnd)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3 else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((String(line[..<colon]), value))
        }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }

        if header("expect")?.lowercased() == "100-continue" {
            let interim = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
            _ = interim.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        var body: [UInt8] = []
        if header("transfer-encoding")?.lowercased().contains("chunked") == true {
            guard let decoded = readChunked() else { return nil }
            body = decoded
        } else if let length = header("content-length").flatMap({ Int($0) }), length > 0 {
            guard fill(until: { $0.count >= length ? length : nil }) != nil else { return nil }
            body = Array(buffer[..<length])
            buffer.removeFirst(length)
        }
        let version = String(requestLine[2])
        return ParsedRequest(
            method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body,
            wantsClose: version == "HTTP/1.0" || header("connection")?.lowercased() == "close")
    }

    /// Reads until `found` returns a position in the buffer.
    private mutating func fill(until found: ([UInt8]) -> Int?) -> Int? {
        while true {
            if let position = found(buffer) { return position }
            guard !closed, buffer.count < Self.maxHead + 64 * 1024 * 1024,
                state.wait(socket, events: Int16(POLLIN), timeout: nil) == .ready
            else { return nil }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let count = recv(socket, &chunk, chunk.count, 0)
            if count <= 0 {
                if count < 0, errno == EINTR { continue }
                closed = true
                return nil
            }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// A chunked body, trailers skipped.
    private mutating func readChunked() -> [UInt8]? {
        var body: [UInt8] = []
        while true {
            guard let lineEnd = fill(until: { $0.firstRange(of: [13, 10])?.upperBound }) else { return nil }
            let line = String(decoding: buffer[..<(lineEnd - 2)], as: UTF8.self)
            buffer.removeFirst(lineEnd)
            let sizeText = line.split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
            if size == 0 {
                while true {  // trailers up to an empty line
                    guard let end = fill(until: { $0.firstRange(of: [13, 10])?.upperBound }) else { return nil }
                    let isEmpty = end == 2
                    buffer.removeFirst(end)
                    if isEmpty { return body }
                }
            }
            guard fill(until: { $0.count >= size + 2 ? size + 2 : nil }) != nil else { return nil }
            body.append(contentsOf: buffer[..<size])
            buffer.removeFirst(size + 2)
        }
    }
}
