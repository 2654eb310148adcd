internal import CCurl
import Foundation

/// One libcurl easy handle (`CURL*`) set up for one ``HTTPHop``, with the buffers its callbacks fill.
///
/// Made, run and freed on the engine's thread only. libcurl's callbacks reach it through an unretained
/// `Unmanaged` pointer; the engine keeps the object alive for as long as the handle is in the multi stack.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    let hop: HTTPHop
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Header fields of the latest response head (a new status line starts over, e.g. after `100 Continue`).
    private var receivedHeaders: [HTTPHeader] = []
    private var body: [UInt8] = []
    private var exceededCap = false

    /// A handle configured for `hop`; throws when the hop cannot be expressed (bad method or header).
    init(hop: HTTPHop, userAgent: String?, trustBundle: TrustBundle) throws(HTTPError) {
        CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else { throw .invalidRequest("libcurl could not allocate a handle") }
        self.handle = handle
        self.hop = hop
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try configure(userAgent: userAgent, trustBundle: trustBundle)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    // MARK: Configuration

    private func configure(userAgent: String?, trustBundle: TrustBundle) throws(HTTPError) {
        try HTTPSyntax.validate(method: hop.method, headers: hop.headers)
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

        var lines: [String] = []
        let method = hop.method
        if method == "HEAD" {
            try set(CURLOPT_NOBODY, 1)
        } else if let body = hop.body ?? (["POST", "PUT", "PATCH"].contains(method) ? [] : nil) {
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
            if hop.headers.first(named: "Content-Type") == nil { lines.append("Content-Type:") }
        } else if method != "GET" {
            try set(CURLOPT_CUSTOMREQUEST, method)
        } else {
            try set(CURLOPT_HTTPGET, 1)
        }
        // No `Expect: 100-continue` round trip: it stalls against servers that ignore it.
        lines.append("Expect:")
        for header in hop.headers {
            lines.append(header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        for line in lines {
            guard let list = curl_slist_append(headerList, line) else {
                throw .invalidRequest("libcurl could not allocate a header list")
            }
            headerList = list
        }
        try check(cv_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    // MARK: Callbacks

    /// Takes decoded body bytes; refuses them (ending the transfer) once the cap would be passed.
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard body.count + bytes.count <= hop.maxResponseBytes else {
            exceededCap = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    /// Takes one header line (status lines included, CRLF still attached).
    fileprivate func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Int {
        var line = Array(bytes)
        while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") { line.removeLast() }
        if line.starts(with: Array("HTTP/".utf8)) {
            receivedHeaders = []
        } else if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            if !receivedHeaders.isEmpty {  // an obsolete folded continuation line
                receivedHeaders[receivedHeaders.count - 1].value += " " + HTTPSyntax.text(line).trimmed
            }
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = HTTPSyntax.text(line[..<colon])
            let value = HTTPSyntax.text(line[(colon + 1)...]).trimmed
            receivedHeaders.append(HTTPHeader(name, value))
        }
        return bytes.count
    }

    // MARK: Result

    /// The outcome of the finished transfer, given libcurl's result code.
    func result(_ code: CURLcode, activeTime: Duration) -> Result<HopResponse, HTTPError> {
        guard code == CURLE_OK else { return .failure(error(for: code)) }
        var status = 0
        _ = cv_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HopResponse(status: status, headers: receivedHeaders, body: body, activeTime: activeTime))
    }

    private func error(for code: CURLcode) -> HTTPError {
        let host = hop.url.origin.host
        let number = Int32(bitPattern: code.rawValue)
        let summary = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_WRITE_ERROR where exceededCap:
            return .responseTooLarge(cap: hop.maxResponseBytes)
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

private let curlWriteCallback:
    @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, context in
        guard let context else { return 0 }
        let easy = Unmanaged<CurlEasy>.fromOpaque(context).takeUnretainedValue()
        return easy.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
    }

private let curlHeaderCallback:
    @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, context in
        guard let context else { return 0 }
        let easy = Unmanaged<CurlEasy>.fromOpaque(context).takeUnretainedValue()
        return easy.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
    }
