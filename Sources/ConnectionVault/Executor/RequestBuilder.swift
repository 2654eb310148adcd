import Foundation
import IML

/// Turns one request's evaluated directives into an ``HTTPRequest`` (connection-spec §3).
struct RequestBuilder {
    let request: CompiledFlow.Request
    let context: EvaluationContext
    let timeouts: HTTPTimeouts
    let maxResponseBytes: Int
    /// Whether ``Built/logHeaders`` is filled (only a run that keeps its log shows it).
    let keepsLog: Bool

    /// What the builder produced: the request, and what the log shows of it.
    struct Built {
        var request: HTTPRequest
        var logURL: String
        var logHeaders: Object
        var logQuery: Value
        var logBody: Value
    }

    func build() throws(IMLError) -> Built {
        let rawURL = try request.url.evaluate(in: context).text
        let method = try (request.method?.evaluate(in: context)).map(\.text).flatMap { $0.isEmpty ? nil : $0 }?
            .uppercased() ?? "GET"
        var url = request.encodeURL ? RequestEncoding.encodeURL(rawURL) : rawURL
        let qs = try request.qs?.evaluate(in: context) ?? .undefined
        url = RequestEncoding.appendQuery(RequestEncoding.formEncoded(RequestEncoding.formPairs(qs)), to: url)

        var headers: [HTTPHeader] = []
        var logHeaders = Object()
        if case .object(let given) = try request.headers?.evaluate(in: context) ?? .undefined {
            headers.reserveCapacity(given.count)
            for (key, value) in given {
                if value == .undefined || value == .null { continue }
                let name = RequestEncoding.headerName(key)
                let text = value.text
                headers.removeAll { $0.hasName(name) }
                headers.append(HTTPHeader(name, text))
                if keepsLog { logHeaders[key.lowercased()] = .string(text) }
            }
        }

        var body: [UInt8]?
        var logBody: Value = .undefined
        if method != "GET" && method != "HEAD", let compiled = request.body {
            let value = try compiled.evaluate(in: context)
            if value != .undefined, let (bytes, contentType) = encodeBody(value) {
                body = bytes
                logBody = value
                if headers.first(named: "Content-Type") == nil { headers.append(HTTPHeader("Content-Type", contentType)) }
            }
        }

        var extraCA: String?
        if let ca = try request.ca?.evaluate(in: context), ca != .undefined, !ca.text.isEmpty { extraCA = ca.text }
        var authentication: HTTPAuthentication?
        if case .object(let auth)? = try request.auth?.evaluate(in: context) {
            let user = auth["username"]?.text ?? ""
            let password = auth["password"]?.text ?? ""
            authentication = auth["type"]?.stringValue == "basic"
                ? .basic(username: user, password: password) : .digest(username: user, password: password)
        }
        let built = HTTPRequest(
            method: method, url: url, headers: headers, body: body, extraCA: extraCA, gzip: request.gzip,
            followRedirects: request.followRedirects, followAllRedirects: request.followAllRedirects,
            authentication: authentication,
            secretHeaderNames: request.secretHeaders.all
                ? Set(headers.map { HTTPSyntax.lowercased($0.name) }) : request.secretHeaders.names,
            timeouts: timeouts,
            maxResponseBytes: maxResponseBytes)
        return Built(request: built, logURL: url, logHeaders: logHeaders, logQuery: qs, logBody: logBody)
    }

    /// The body bytes and content type for the request's `type`.
    private func encodeBody(_ value: Value) -> ([UInt8], String)? {
        switch request.bodyType {
        case "urlencoded":
            return (Array(RequestEncoding.formEncoded(RequestEncoding.formPairs(value)).utf8),
                    "application/x-www-form-urlencoded")
        case "multipart/form-data":
            return Multipart.encode(value)
        case "text", "string", "raw":
            return (Array(value.text.utf8), "text/plain; charset=utf-8")
        case "binary":
            if case .binary(let bytes) = value { return (bytes, "application/octet-stream") }
            return (Array(value.text.utf8), "application/octet-stream")
        default:
            return (Array(value.compactJSON().utf8), "application/json")
        }
    }
}

/// `multipart/form-data` bodies: one part per field; Binary values as file parts.
enum Multipart {
    static func encode(_ value: Value) -> ([UInt8], String) {
        let boundary = "connvault-" + UUID().uuidString.lowercased()
        var body: [UInt8] = []
        func part(_ name: String, _ member: Value) {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(escape(name))\""
            var bytes: [UInt8]
            if case .binary(let data) = member {
                head += "; filename=\"\(escape(name))\"\r\nContent-Type: application/octet-stream"
                bytes = data
            } else {
                bytes = Array(member.text.utf8)
            }
            body += Array((head + "\r\n\r\n").utf8) + bytes + Array("\r\n".utf8)
        }
        if case .object(let object) = value {
            for key in object.keys {
                switch object[key] ?? .undefined {
                case .undefined: continue
                case .array(let elements): for element in elements where element != .undefined { part(key, element) }
                case let member: part(key, member)
                }
            }
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    private static func escape(_ name: String) -> String {
        name.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }
}
