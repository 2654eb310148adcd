/// One HTTP exchange as the transport performs it: no redirects, no authentication round trips.
struct HTTPHop: Sendable {
    var url: CheckedURL
    var method: String
    var headers: [HTTPHeader]
    var body: [UInt8]?
    var extraCA: String?
    var gzip: Bool
    /// The connect limit for this hop (never more than ``totalTimeout``).
    var connectTimeout: Duration
    /// What is left of the request's time budget.
    var totalTimeout: Duration
    /// The request's whole time limit, named in a timeout error.
    var requestTimeout: Duration
    var maxResponseBytes: Int
}

/// The answer to one ``HTTPHop``.
struct HopResponse: Sendable {
    var status: Int
    var headers: [HTTPHeader]
    var body: [UInt8]
    /// How long the transfer ran (time waiting for a slot excluded).
    var activeTime: Duration
}

/// A finished transfer as the engine thread hands it over: the header block still raw, so that parsing it
/// happens on the caller's task rather than on the one engine thread every transfer shares.
struct RawHopResponse: Sendable {
    var status: Int
    /// The header lines of the final response head, each with its line end, status line excluded.
    var headerBytes: [UInt8]
    var body: [UInt8]
    var activeTime: Duration
}

extension HopResponse {
    /// Parses the raw header block: repeated fields kept in order, obsolete folded continuation lines joined to
    /// the field before with one space, values without surrounding spaces and tabs, lines without a colon
    /// ignored. Text is UTF-8 when valid, otherwise ISO-8859-1.
    init(_ raw: RawHopResponse) {
        var headers: [HTTPHeader] = []
        raw.headerBytes.withUnsafeBufferPointer { bytes in
            headers.reserveCapacity(bytes.count { $0 == UInt8(ascii: "\n") })  // one allocation: a field per line
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                let next = end + 1
                while end > start, bytes[end - 1] == UInt8(ascii: "\r") || bytes[end - 1] == UInt8(ascii: "\n") {
                    end -= 1
                }
                let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                start = next
                guard let first = line.first else { continue }
                if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                    if !headers.isEmpty {  // an obsolete folded continuation line
                        headers[headers.count - 1].value += " " + Self.text(Self.trimmed(line[...]))
                    }
                } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                    let name = Self.text(line[..<colon])
                    let value = Self.text(Self.trimmed(line[(colon + 1)...]))
                    headers.append(HTTPHeader(name, value))
                }
            }
        }
        self.init(status: raw.status, headers: headers, body: raw.body, activeTime: raw.activeTime)
    }

    /// ``HTTPSyntax/text(_:)`` with a fast path for ASCII, which nearly every header is.
    private static func text(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        let buffer = UnsafeBufferPointer(rebasing: bytes)
        if buffer.allSatisfy({ $0 < 0x80 }) { return String(decoding: buffer, as: UTF8.self) }
        return HTTPSyntax.text(buffer)
    }

    /// `bytes` without leading and trailing spaces and tabs (HTTP's optional whitespace).
    private static func trimmed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var bytes = bytes
        while let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { bytes.removeFirst() }
        while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { bytes.removeLast() }
        return bytes
    }
}

/// Performs single exchanges; the libcurl engine in production, a fake in tests of the redirect and auth logic.
protocol HopTransport: Sendable {
    func perform(_ hop: HTTPHop) async throws(HTTPError) -> HopResponse
}
