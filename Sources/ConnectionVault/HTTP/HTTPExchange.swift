import Foundation
import IML

/// One request from first hop to final response: redirects, Basic and Digest credentials, time budget.
///
/// Rules (connection-spec §10):
/// - every URL, the first and each redirect target, passes the ``URLPolicy`` before anything is sent to it;
/// - at most `maxRedirects` redirects; 301/302 turn `POST` into `GET` and 303 turns everything but `HEAD`
///   into `GET` (dropping the body and its headers), 307/308 keep method and body, as browsers and curl do;
/// - credentials (`Authorization`, `Proxy-Authorization`, `Cookie`, every header named secret by the request,
///   Basic and Digest state, user information in the URL) go only to the origin the request named; the first
///   hop to another scheme, host or port drops them for the rest of the exchange, even on a later return;
/// - the total time limit is a budget across hops, counting only time spent transferring;
/// - `Content-Length` and `Transfer-Encoding` from the caller are dropped: the client frames the body.
struct HTTPExchange {
    let request: HTTPRequest
    let policy: URLPolicy
    let maxRedirects: Int
    let transport: any HopTransport
    /// Where the first hop's URL check may be answered from (the client's last checked URL).
    var checkedURLs: CheckedURLCache?

    /// Header names that always carry credentials.
    static let alwaysSecret: Set<String> = ["authorization", "proxy-authorization", "cookie"]
    /// Message framing is the client's job: a caller's own values could desynchronise a shared connection.
    static let framingHeaders: Set<String> = ["content-length", "transfer-encoding"]
    /// Headers that describe a body, dropped when a redirect turns the request into a `GET`.
    static let bodyHeaders: Set<String> = [
        "content-type", "content-length", "content-encoding", "content-language", "content-location",
        "transfer-encoding",
    ]

    func run() async throws(HTTPError) -> HTTPResponse {
        try HTTPSyntax.validate(method: request.method, headers: request.headers)
        let first: CheckedURL
        if let checkedURLs {
            first = try checkedURLs.check(request.url, with: policy)
        } else {
            first = try policy.check(request.url)
        }
        let origin = first.origin
        var url = first
        var method = request.method
        var body = request.body
        var headers = request.headers
        headers.removeAll(namedAnyOf: Self.framingHeaders)
        var credentialsAllowed = true
        var redirects = 0
        var remaining = request.timeouts.total
        var digest: DigestSession?
        var staleRetried = false
        var sentAuthorizations: [String] = []

        while true {
            if Task.isCancelled { throw .cancelled }
            guard remaining > .zero else { throw .timeout(.total, limit: request.timeouts.total) }
            var hopHeaders = headers
            var sentDigest = false
            if credentialsAllowed {
                switch request.authentication {
                case .basic(let username, let password):
                    let value = Self.basicAuthorization(username: username, password: password)
                    hopHeaders.set("Authorization", value)
                    if !sentAuthorizations.contains(value) { sentAuthorizations.append(value) }
                case .digest:
                    if var session = digest {
                        // The request's own headers were checked above; this one holds the user name and the
                        // server's challenge fields, so it is checked before it is sent.
                        let value = session.authorization(method: method, uri: url.requestTarget, body: body ?? [])
                        try HTTPSyntax.validate(HTTPHeader("Authorization", value))
                        hopHeaders.set("Authorization", value)
                        sentAuthorizations.append(value)
                        digest = session
                        sentDigest = true
                    }
                case nil: break
                }
            } else {
                hopHeaders.removeAll(namedAnyOf: Self.alwaysSecret)
                hopHeaders.removeAll(namedAnyOf: request.secretHeaderNames)
            }
            let hop = HTTPHop(
                url: url, method: method, headers: hopHeaders, body: body, extraCA: request.extraCA,
                gzip: request.gzip, connectTimeout: min(request.timeouts.connect, remaining),
                totalTimeout: remaining, requestTimeout: request.timeouts.total,
                maxResponseBytes: request.maxResponseBytes)
            let response = try await transport.perform(hop)
            remaining -= response.activeTime

            // Digest: answer a challenge once, and once more when the server says the nonce went stale.
            if response.status == 401, credentialsAllowed,
                case .digest(let username, let password) = request.authentication,
                let challenge = DigestChallenge.strongest(in: response.headers.values(named: "WWW-Authenticate"))
            {
                if !sentDigest {
                    digest = DigestSession(challenge: challenge, username: username, password: password)
                    continue
                }
                if challenge.stale, !staleRetried {
                    staleRetried = true
                    digest = DigestSession(challenge: challenge, username: username, password: password)
                    continue
                }
            }

            guard let location = redirectLocation(of: response, method: method) else {
                return HTTPResponse(
                    status: response.status, headers: response.headers, body: response.body, url: url.text,
                    redirectCount: redirects, sentAuthorizations: sentAuthorizations)
            }
            redirects += 1
            guard redirects <= maxRedirects else { throw .tooManyRedirects(limit: maxRedirects) }
            var target = try policy.redirectTarget(location, from: url, keepUserInfo: credentialsAllowed)
            if target.origin != origin, credentialsAllowed {
                credentialsAllowed = false
                digest = nil
                target = try policy.redirectTarget(location, from: url, keepUserInfo: false)
            }
            if ((response.status == 301 || response.status == 302) && method == "POST")
                || (response.status == 303 && method != "GET" && method != "HEAD")
            {
                method = "GET"
                body = nil
                headers.removeAll(namedAnyOf: Self.bodyHeaders)
            }
            url = target
        }
    }

    /// The `Location` to follow, when the response is a redirect the request wants followed.
    private func redirectLocation(of response: HopResponse, method: String) -> String? {
        guard [301, 302, 303, 307, 308].contains(response.status),
            let location = response.headers.first(named: "Location"), !location.isEmpty
        else { return nil }
        let isGet = method == "GET" || method == "HEAD"
        return (isGet ? request.followRedirects : request.followAllRedirects) ? location : nil
    }

    /// `Basic base64(username:password)`.
    static func basicAuthorization(username: String, password: String) -> String {
        "Basic " + Base64.encodedString(Array(username.utf8) + [UInt8(ascii: ":")] + Array(password.utf8))
    }
}
