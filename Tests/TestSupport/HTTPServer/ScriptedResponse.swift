/// What the scripted server answers to one request, including deliberate misbehaviour.
public struct ScriptedResponse: Sendable {
    /// How the response is delivered.
    public enum Behaviour: Sendable {
        /// Write the whole response at once.
        case normal
        /// Wait, then write the whole response.
        case delay(Duration)
        /// Write the response `chunk` bytes at a time, pausing `interval` between writes.
        case drip(chunk: Int, interval: Duration)
        /// Never answer; hold the connection open until the client or the server closes it.
        case hang
        /// Write the first `bytes` bytes of the response, then close the connection.
        case closeAfter(bytes: Int)
        /// Write these bytes instead of a response, then close the connection.
        case raw([UInt8])
        /// Send the head with `Content-Length: bytes` (unless a length or chunking header is scripted), then
        /// stream that many filler bytes without ever holding them in memory; stops when the client goes away.
        case stream(bytes: Int)
    }

    public var status: Int
    /// Header fields in order, written as given. `Content-Length` is added when neither it nor
    /// `Transfer-Encoding` is scripted.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var behaviour: Behaviour

    public init(
        status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        behaviour: Behaviour = .normal
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.behaviour = behaviour
    }

    /// A text response (`Content-Type: text/plain` unless `headers` has one).
    public static func text(_ text: String, status: Int = 200, headers: [(name: String, value: String)] = [])
        -> ScriptedResponse
    {
        var headers = headers
        if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.insert(("Content-Type", "text/plain; charset=utf-8"), at: 0)
        }
        return ScriptedResponse(status: status, headers: headers, body: Array(text.utf8))
    }

    /// A redirect to `location`.
    public static func redirect(_ status: Int = 302, to location: String) -> ScriptedResponse {
        ScriptedResponse(status: status, headers: [("Location", location)])
    }

    /// Raw bytes on the wire instead of a response, then the connection closes.
    public static func raw(_ text: String) -> ScriptedResponse {
        ScriptedResponse(behaviour: .raw(Array(text.utf8)))
    }

    /// Returns a copy delivered with `behaviour`.
    public func with(_ behaviour: Behaviour) -> ScriptedResponse {
        var copy = self
        copy.behaviour = behaviour
        return copy
    }

    /// The status line and header block, `Content-Length` added when needed.
    func head(contentLength: Int) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        let names = Set(headers.map { $0.name.lowercased() })
        for header in headers { text += "\(header.name): \(header.value)\r\n" }
        if !names.contains("content-length"), !names.contains("transfer-encoding") {
            text += "Content-Length: \(contentLength)\r\n"
        }
        return Array((text + "\r\n").utf8)
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 500: "Internal Server Error"
        default: "Status"
        }
    }
}
