#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

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
        raw.headerBytes.withUnsafeBufferPointer { block in
            guard let base = block.baseAddress else { return }
            let end = base + block.count
            // Lines are found with memchr and fields cut by pointer: this runs once per response, on every run.
            func next(_ byte: UInt8, from start: UnsafePointer<UInt8>, to limit: UnsafePointer<UInt8>)
                -> UnsafePointer<UInt8>?
            {
                memchr(start, Int32(byte), limit - start).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) }
            }
            var lines = 0
            var scan = base
            while let newline = next(UInt8(ascii: "\n"), from: scan, to: end) {
                lines += 1
                scan = newline + 1
            }
            headers.reserveCapacity(lines + 1)
            var lineStart = base
            while lineStart < end {
                let newline = next(UInt8(ascii: "\n"), from: lineStart, to: end)
                var lineEnd = newline ?? end
                while lineEnd > lineStart, lineEnd[-1] == UInt8(ascii: "\r") || lineEnd[-1] == UInt8(ascii: "\n") {
                    lineEnd -= 1
                }
                defer { lineStart = newline.map { $0 + 1 } ?? end }
                guard lineStart < lineEnd else { continue }
                if lineStart.pointee == UInt8(ascii: " ") || lineStart.pointee == UInt8(ascii: "\t") {
                    if !headers.isEmpty {  // an obsolete folded continuation line
                        headers[headers.count - 1].value += " " + Self.text(Self.trimmed(lineStart, lineEnd))
                    }
                } else if let colon = next(UInt8(ascii: ":"), from: lineStart, to: lineEnd) {
                    let name = Self.text(UnsafeBufferPointer(start: lineStart, count: colon - lineStart))
                    headers.append(HTTPHeader(name, Self.text(Self.trimmed(colon + 1, lineEnd))))
                }
            }
        }
        self.init(status: raw.status, headers: headers, body: raw.body, activeTime: raw.activeTime)
    }

    /// ``HTTPSyntax/text(_:)`` with a fast path for ASCII, which nearly every header is (`String(validating:)`
    /// is generic, and cost five times as much).
    private static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        bytes.allSatisfy { $0 < 0x80 } ? String(decoding: bytes, as: UTF8.self) : HTTPSyntax.text(bytes)
    }

    /// The bytes from `start` to `end` without leading and trailing spaces and tabs (HTTP's optional whitespace).
    private static func trimmed(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>)
        -> UnsafeBufferPointer<UInt8>
    {
        var start = start
        var end = end
        while start < end, start.pointee == UInt8(ascii: " ") || start.pointee == UInt8(ascii: "\t") { start += 1 }
        while end > start, end[-1] == UInt8(ascii: " ") || end[-1] == UInt8(ascii: "\t") { end -= 1 }
        return UnsafeBufferPointer(start: start, count: end - start)
    }
}

/// Performs single exchanges; the libcurl engine in production, a fake in tests of the redirect and auth logic.
protocol HopTransport: Sendable {
    func perform(_ hop: HTTPHop) async throws(HTTPError) -> HopResponse
}
