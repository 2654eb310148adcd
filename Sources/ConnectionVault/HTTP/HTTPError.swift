/// Why a request got no usable response.
///
/// Messages name the rule, host, limit or libcurl code involved; they never contain header values, bodies,
/// user information or query strings.
package enum HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL (or a redirect's target) breaks the URL policy (connection-spec §10); nothing was sent to it.
    case refused(URLPolicyViolation)
    /// The request itself cannot be sent: a bad method or header name, a line break in a header value…
    case invalidRequest(String)
    /// The host name could not be resolved.
    case nameResolution(host: String)
    /// No connection could be made to the host.
    case connection(host: String, curlCode: Int32)
    /// The TLS handshake or the certificate check failed; `detail` is libcurl's reason (no secrets).
    case tls(host: String, curlCode: Int32, detail: String)
    /// A time limit ran out.
    case timeout(TimeoutPhase, limit: Duration)
    /// More redirects than the limit.
    case tooManyRedirects(limit: Int)
    /// The decoded body grew past the cap; the transfer was stopped there.
    case responseTooLarge(cap: Int)
    /// The server's answer is not valid HTTP: bad status line or headers, truncated body, bad compression…
    case malformedResponse(curlCode: Int32, detail: String)
    /// Another transfer failure reported by libcurl (connection reset while sending or receiving…).
    case transfer(curlCode: Int32, detail: String)
    /// The calling task was cancelled or the client shut down; the transfer was aborted.
    case cancelled

    /// Which time limit ran out.
    package enum TimeoutPhase: String, Sendable, Hashable {
        /// Establishing the connection (TCP and TLS).
        case connect
        /// The whole request.
        case total
    }

    /// Whether the failure is a policy refusal (an `invalid` outcome) rather than a network problem.
    package var isPolicyRefusal: Bool {
        if case .refused = self { return true }
        return false
    }

    package var description: String {
        switch self {
        case .refused(let violation): violation.description
        case .invalidRequest(let reason): "invalid request: \(reason)"
        case .nameResolution(let host): "could not resolve host \(host)"
        case .connection(let host, let code): "could not connect to \(host) (curl error \(code))"
        case .tls(let host, let code, let detail): "TLS failure with \(host): \(detail) (curl error \(code))"
        case .timeout(.connect, let limit): "connection timed out after \(Self.seconds(limit))"
        case .timeout(.total, let limit): "request timed out after \(Self.seconds(limit))"
        case .tooManyRedirects(let limit): "too many redirects (more than \(limit))"
        case .responseTooLarge(let cap): "response body larger than the cap of \(Self.bytes(cap))"
        case .malformedResponse(let code, let detail): "malformed response: \(detail) (curl error \(code))"
        case .transfer(let code, let detail): "transfer failed: \(detail) (curl error \(code))"
        case .cancelled: "request cancelled"
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.wholeMilliseconds
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }

    private static func bytes(_ count: Int) -> String {
        if count >= 1024 * 1024, count % (1024 * 1024) == 0 { return "\(count / (1024 * 1024)) MiB" }
        if count >= 1024, count % 1024 == 0 { return "\(count / 1024) KiB" }
        return "\(count) bytes"
    }
}
