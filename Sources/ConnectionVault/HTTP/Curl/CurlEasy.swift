internal import CCurl
import Foundation

/// One libcurl easy handle (`CURL*`), reused for hop after hop to one origin, with the buffers its callbacks fill.
///
/// Made, run, reset and freed on the engine's thread only. libcurl's callbacks reach it through an unretained
/// `Unmanaged` pointer; the engine keeps the object alive for as long as the handle is in the multi stack.
///
/// Reuse (connection-spec §10: a handle never serves two origins): after a transfer that succeeded, the engine
/// calls ``recycle()``, which resets every libcurl option (`curl_easy_reset`: headers, method, body copy, CA
/// blob, callbacks…), frees the header list and empties the buffers, so an idle handle holds nothing of the
/// request it carried; ``configure(for:userAgent:trustBundle:)`` then sets every option again for the next hop.
/// What `curl_easy_reset` keeps is harmless here: the connection cache belongs to the multi handle, the DNS and
/// TLS session caches are keyed by host and TLS settings, and the cookie engine is never turned on.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    /// The only origin this handle's transfers go to.
    let origin: Origin
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The raw header lines of the latest response head (a new status line starts over, e.g. after
    /// `100 Continue`), parsed into fields by ``HopResponse/init(_:)`` off the engine thread.
    private var headerBytes: [UInt8] = []
    private var body: [UInt8] = []
    private var maxResponseBytes = 0
    private var exceededCap = false

    /// A fresh handle for transfers to `origin`; `nil` when libcurl cannot allocate one.
    init?(origin: Origin) {
        CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        self.origin = origin
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Forgets the last transfer: every option back to libcurl's defaults, header list freed, buffers emptied.
    func recycle() {
        curl_easy_reset(handle)
        curl_slist_free_all(headerList)
        headerList = nil
        headerBytes = []
        body = []
        exceededCap = false
        errorBuffer[0] = 0
    }

    // MARK: Configuration

    /// Sets every option for `hop` on a fresh or recycled handle; throws when the hop cannot be expressed.
    func configure(for hop: HTTPHop, userAgent: String?, trustBundle: TrustBundle) throws(HTTPError) {
        precondition(hop.url.origin == origin, "an easy handle is never reused across origins")
        maxResponseBytes = hop.maxResponseBytes
        headerBytes.reserveCapacity(1024)  // one allocation for a typical response head
        func check(_ code: CURLcode) throws(HTTPError) {
            guard code == CURLE_OK else {
                throw .invalidRequest("libcurl refused an option (\(String(cString: curl_easy_strerror(code))))")
            }
        }
        func set(_ option: CURLoption, _ value: Int) throws(HTTPError) {
            try check(cv_curl_setopt_long(handle, option, value))
        }
        func set(_ option: CURLoption, _ value: String) throws(HTTPError) {
            try check(cv_curl_setopt_string(handle, option, value))
        }

        try set(CURLOPT_URL, hop.url.text)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        try set(CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2)
        // Never use a proxy from the environment: the policy judged this URL, not a proxy's.
        try set(CURLOPT_PROXY, "")
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(hop.connectTimeout))
        try set(CURLOPT_TIMEOUT_MS, Self.milliseconds(hop.totalTimeout))
        if hop.gzip { try set(CURLOPT_ACCEPT_ENCODING, "") }  // every encoding libcurl can decode
        if let userAgent, hop.headers.first(named: "User-Agent") == nil { try set(CURLOPT_USERAGENT, userAgent) }
        try check(cv_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))

        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(cv_curl_setopt_write_function(handle, curlWriteCallback))
        try check(cv_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
        try check(cv_curl_setopt_header_function(handle, curlHeaderCallback))
        try check(cv_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context))

        if let pem = hop.extraCA {
            let bundle = trustBundle.bytes(adding: pem)
            try check(
                bundle.withUnsafeBytes {
                    cv_curl_setopt_blob_copy(handle, CURLOPT_CAINFO_BLOB, $0.baseAddress, $0.count)
                })
        }

        var list = HeaderList()
        let method = hop.method
        if method == "HEAD" {
            try set(CURLOPT_NOBODY, 1)
        } else if let body = hop.body ?? (method == "POST" || method == "PUT" || method == "PATCH" ? [] : nil) {
            try set(CURLOPT_CUSTOMREQUEST, method)
            try check(cv_curl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            // libcurl copies `body.count` bytes; an empty body still passes a valid pointer.
            let bytes = body.isEmpty ? [0] : body
            try check(
                bytes.withUnsafeBytes {
                    cv_curl_setopt_pointer(
                        handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress))
                })
            // libcurl would add its own form content type; only the caller's is sent.
            if hop.headers.first(named: "Content-Type") == nil { try list.append("Content-Type:") }
            // No `Expect: 100-continue` round trip: it stalls against servers that ignore it. (libcurl adds it only
            // to requests with a body, so only they need the removal line.)
            try list.append("Expect:")
        } else if method != "GET" {
            try set(CURLOPT_CUSTOMREQUEST, method)
        } else {
            try set(CURLOPT_HTTPGET, 1)
        }
        for header in hop.headers {
            try list.append(header.name, header.value)
        }
        curl_slist_free_all(headerList)
        headerList = list.take()
        try check(cv_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int(duration.wholeMilliseconds))
    }

    // MARK: Callbacks

    /// Takes decoded body bytes; refuses them (ending the transfer) once the cap would be passed.
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard body.count + bytes.count <= maxResponseBytes else {
            exceededCap = true
            return 0
        }
        if body.capacity == 0 {
            // The first bytes: room for the announced length at once, up to 64 KiB (a server's claim alone never
            // reserves more; larger bodies grow as they arrive).
            var length: curl_off_t = -1
            _ = cv_curl_getinfo_offset(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length)
            body.reserveCapacity(max(bytes.count, min(Int(length), maxResponseBytes, 64 * 1024)))
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    /// Takes one header line (status lines included, CRLF still attached), kept as bytes until the end.
    fileprivate func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Int {
        if bytes.count >= 5, bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"),
            bytes[2] == UInt8(ascii: "T"), bytes[3] == UInt8(ascii: "P"), bytes[4] == UInt8(ascii: "/")
        {
            headerBytes.removeAll(keepingCapacity: true)  // a new response head starts over
        } else {
            headerBytes.append(contentsOf: bytes)
        }
        return bytes.count
    }

    // MARK: Result

    /// The outcome of the finished transfer of `hop`, given libcurl's result code; hands the buffers over.
    func result(_ code: CURLcode, hop: HTTPHop, activeTime: Duration) -> Result<RawHopResponse, HTTPError> {
        guard code == CURLE_OK else { return .failure(error(for: code, hop: hop)) }
        var status = 0
        _ = cv_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        let response = RawHopResponse(status: status, headerBytes: headerBytes, body: body, activeTime: activeTime)
        headerBytes = []
        body = []
        return .success(response)
    }

    private func error(for code: CURLcode, hop: HTTPHop) -> HTTPError {
        let host = hop.url.origin.host
        let number = Int32(bitPattern: code.rawValue)
        let summary = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_WRITE_ERROR where exceededCap:
            return .responseTooLarge(cap: maxResponseBytes)
        case CURLE_COULDNT_RESOLVE_HOST:
            return .nameResolution(host: host)
        case CURLE_COULDNT_CONNECT:
            return .connection(host: host, curlCode: number)
        case CURLE_OPERATION_TIMEDOUT:
            var connected: curl_off_t = 0
            let stage = hop.url.origin.scheme == "https" ? CURLINFO_APPCONNECT_TIME_T : CURLINFO_CONNECT_TIME_T
            _ = cv_curl_getinfo_offset(handle, stage, &connected)
            if connected == 0, hop.connectTimeout < hop.totalTimeout {
                return .timeout(.connect, limit: hop.connectTimeout)
            }
            return .timeout(.total, limit: hop.requestTimeout)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_INVALIDCERTSTATUS,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CLIENTCERT,
            CURLE_USE_SSL_FAILED:
            // libcurl's TLS messages name certificate problems and host names, nothing from the request.
            let detail = String(cString: errorBuffer)
            return .tls(host: host, curlCode: number, detail: detail.isEmpty ? summary : detail)
        case CURLE_WEIRD_SERVER_REPLY, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_BAD_CONTENT_ENCODING,
            CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_HTTP3, CURLE_UNSUPPORTED_PROTOCOL:
            // Fixed texts: libcurl's own messages for these may quote bytes of the response.
            return .malformedResponse(curlCode: number, detail: Self.malformedDetail(code))
        case CURLE_RECV_ERROR:
            return .transfer(curlCode: number, detail: "receiving failed (connection reset or bad chunked encoding)")
        default:
            return .transfer(curlCode: number, detail: summary)
        }
    }

    private static func malformedDetail(_ code: CURLcode) -> String {
        switch code {
        case CURLE_WEIRD_SERVER_REPLY: "invalid status line or header block"
        case CURLE_GOT_NOTHING: "the server closed the connection without answering"
        case CURLE_PARTIAL_FILE: "the connection closed before the whole body arrived"
        case CURLE_BAD_CONTENT_ENCODING: "the body's content encoding could not be decoded"
        case CURLE_UNSUPPORTED_PROTOCOL: "no HTTP status line (an HTTP/0.9 or non-HTTP answer)"
        default: "HTTP/2 or HTTP/3 protocol error"
        }
    }
}

@available(*, unavailable)
extension CurlEasy: Sendable {}

/// A `curl_slist` of request header lines being built; freed unless handed over with ``take()``.
private struct HeaderList: ~Copyable {
    private var list: UnsafeMutablePointer<curl_slist>?

    init() { list = nil }

    deinit { curl_slist_free_all(list) }

    /// Appends a line as given (`"Expect:"` removes a header libcurl would add).
    mutating func append(_ line: String) throws(HTTPError) {
        guard let appended = curl_slist_append(list, line) else { throw Self.outOfMemory }
        list = appended
    }

    /// Appends `name: value`, or `name;` for an empty value (libcurl's way to send an empty field).
    mutating func append(_ name: String, _ value: String) throws(HTTPError) {
        var name = name
        var value = value
        let appended = name.withUTF8 { nameBytes in
            value.withUTF8 { valueBytes in
                let length = nameBytes.count + (valueBytes.isEmpty ? 1 : 2 + valueBytes.count)
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length + 1) { line in
                    var end = line.initialize(fromContentsOf: nameBytes)
                    if valueBytes.isEmpty {
                        line[end] = UInt8(ascii: ";")
                        end += 1
                    } else {
                        line[end] = UInt8(ascii: ":")
                        line[end + 1] = UInt8(ascii: " ")
                        end = line[(end + 2)...].initialize(fromContentsOf: valueBytes)
                    }
                    line[end] = 0
                    return line.withMemoryRebound(to: CChar.self) { curl_slist_append(list, $0.baseAddress) }
                }
            }
        }
        guard let appended else { throw Self.outOfMemory }
        list = appended
    }

    /// The list, now owned by the caller.
    consuming func take() -> UnsafeMutablePointer<curl_slist>? {
        let taken = list
        discard self
        return taken
    }

    private static let outOfMemory = HTTPError.invalidRequest("libcurl could not allocate a header list")
}

// The transfer's `CurlEasy` outlives its callbacks (it owns the handle that calls them): each one borrows it
// (`_withUnsafeGuaranteedRef`) instead of retaining and releasing it, an atomic pair per header line and body chunk.
private let curlWriteCallback:
    @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, context in
        guard let context else { return 0 }
        return Unmanaged<CurlEasy>.fromOpaque(context)._withUnsafeGuaranteedRef {
            $0.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        }
    }

private let curlHeaderCallback:
    @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, context in
        guard let context else { return 0 }
        return Unmanaged<CurlEasy>.fromOpaque(context)._withUnsafeGuaranteedRef {
            $0.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
        }
    }
