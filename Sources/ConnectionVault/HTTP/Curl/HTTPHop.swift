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

/// Performs single exchanges; the libcurl engine in production, a fake in tests of the redirect and auth logic.
protocol HopTransport: Sendable {
    func perform(_ hop: HTTPHop) async throws(HTTPError) -> HopResponse
}
