/// The final response of a request, after redirects and Digest round trips.
///
/// `description` shows the status and sizes, never header values or the body.
package struct HTTPResponse: Sendable, Hashable, CustomStringConvertible {
    /// The status code, e.g. 200.
    package var status: Int
    /// Header fields in the order received; repeated names are kept as separate fields.
    package var headers: [HTTPHeader]
    /// The body bytes, decoded when the request asked for compression.
    package var body: [UInt8]
    /// The URL the final response came from (after redirects), as sent: it may hold user information or a
    /// query with secrets, so print ``description`` (or redact) rather than this.
    package var url: String
    /// How many redirects were followed to get here.
    package var redirectCount: Int
    /// The `Authorization` values the exchange made itself from the request's Basic or Digest credentials and sent,
    /// in order: secrets, which a service may echo (redaction needs them; a Digest value depends on the challenge).
    package var sentAuthorizations: [String]

    package init(
        status: Int, headers: [HTTPHeader], body: [UInt8], url: String, redirectCount: Int,
        sentAuthorizations: [String] = []
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
        self.redirectCount = redirectCount
        self.sentAuthorizations = sentAuthorizations
    }

    package var description: String {
        "HTTP \(status) from \(URLText.redacted(url)) (\(headers.count) headers, \(body.count)-byte body, "
            + "\(redirectCount) redirects)"
    }
}
