/// One request as the executor builds it: everything the HTTP layer needs, including the safety limits.
///
/// Redirects, Digest challenges and credential stripping are handled by the client; the executor sends the
/// request once and gets the final response. `description` names the method and the URL without query or
/// user information, never header values or the body.
package struct HTTPRequest: Sendable, CustomStringConvertible {
    /// The HTTP method, sent as given (the executor upper-cases it). Must be an HTTP token.
    package var method: String
    /// The absolute URL, already encoded as it should go on the wire.
    package var url: String
    /// Header fields in order; repeated names are sent repeatedly. An empty value is sent as an empty field.
    package var headers: [HTTPHeader]
    /// The body bytes, sent with a `Content-Length`; `nil` sends no body.
    package var body: [UInt8]?
    /// Extra trusted certificate authorities (PEM) for this request, in addition to the system's roots.
    package var extraCA: String?
    /// Ask for compressed responses (`Accept-Encoding`) and decode them; the size cap applies to decoded bytes.
    package var gzip: Bool
    /// Follow redirects of `GET` (and `HEAD`) hops: the spec's `followRedirects`.
    package var followRedirects: Bool
    /// Follow redirects of hops with any other method: the spec's `followAllRedirects`. The two flags are
    /// independent, and a hop's method is its method after any 301/302/303 rewrite.
    package var followAllRedirects: Bool
    /// Credentials the client answers with: Basic (sent up front) or Digest (answering the server's challenge).
    package var authentication: HTTPAuthentication?
    /// Lower-cased names of headers whose value carries a secret: never sent to another origin on a redirect.
    /// `Authorization`, `Proxy-Authorization` and `Cookie` are always treated as secret.
    package var secretHeaderNames: Set<String>
    /// Connect and whole-request time limits.
    package var timeouts: HTTPTimeouts
    /// The most body bytes accepted after decoding; more ends the request with ``HTTPError/responseTooLarge(cap:)``.
    package var maxResponseBytes: Int

    /// The default cap on decoded response bytes: 8 MiB.
    package static let defaultMaxResponseBytes = 8 * 1024 * 1024

    package init(
        method: String = "GET", url: String, headers: [HTTPHeader] = [], body: [UInt8]? = nil,
        extraCA: String? = nil, gzip: Bool = false, followRedirects: Bool = true, followAllRedirects: Bool = true,
        authentication: HTTPAuthentication? = nil, secretHeaderNames: Set<String> = [],
        timeouts: HTTPTimeouts = HTTPTimeouts(), maxResponseBytes: Int = HTTPRequest.defaultMaxResponseBytes
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.extraCA = extraCA
        self.gzip = gzip
        self.followRedirects = followRedirects
        self.followAllRedirects = followAllRedirects
        self.authentication = authentication
        // Compiled flows pass lower-cased names already: then the set is kept as it is, not rebuilt per request.
        self.secretHeaderNames = secretHeaderNames.allSatisfy { HTTPSyntax.lowercased($0) == $0 }
            ? secretHeaderNames : Set(secretHeaderNames.map { $0.lowercased() })
        self.timeouts = timeouts
        self.maxResponseBytes = maxResponseBytes
    }

    package var description: String {
        "\(method) \(URLText.redacted(url)) (\(headers.count) headers, \(body.map { "\($0.count)-byte body" } ?? "no body"))"
    }
}

/// Credentials the HTTP layer applies itself. `description` never shows them.
package enum HTTPAuthentication: Sendable, Hashable, CustomStringConvertible {
    /// `Authorization: Basic base64(username:password)`, sent with the first request to the original origin.
    case basic(username: String, password: String)
    /// HTTP Digest (RFC 7616): the client answers the server's `WWW-Authenticate: Digest` challenge.
    case digest(username: String, password: String)

    package var description: String {
        switch self {
        case .basic: "basic(<redacted>)"
        case .digest: "digest(<redacted>)"
        }
    }
}

/// Time limits of one request (the whole exchange, redirects and Digest round trips included).
package struct HTTPTimeouts: Sendable, Hashable {
    /// The longest a connection (TCP and TLS) may take to establish: 10 s by default.
    package var connect: Duration
    /// The longest the whole request may take while it is being transferred: 40 s by default (Make's limit).
    /// Time spent waiting for a free slot under the client's concurrency bound does not count.
    package var total: Duration

    package init(connect: Duration = .seconds(10), total: Duration = .seconds(40)) {
        self.connect = connect
        self.total = total
    }
}
