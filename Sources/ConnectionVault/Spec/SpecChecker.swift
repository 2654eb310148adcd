import IML

/// Checks a whole spec at import (connection-spec §1, §3–§5): unknown keys, wrong value types, directives a
/// basic connection may not use, and templates that do not compile. Collects every problem; never stops early.
struct SpecChecker {
    /// Whether the vault allows plain `http` to hosts other than loopback.
    var allowPlainHTTP = false
    /// Whether template-free URLs are judged by the URL rules (connection-spec §10), with libcurl's parser. On at
    /// import; off when a stored spec is rebuilt (``ConnectionSpec/init(stored:name:label:)``): every URL is judged
    /// again before its request is sent, and rebuilding a spec then never waits for libcurl to load.
    var checksURLs = true
    var problems: [SpecProblem] = []
    private(set) var warnings: [SpecProblem] = []

    static let requestTypes: Set<String> = ["json", "urlencoded", "multipart/form-data", "text", "string", "raw", "binary"]
    static let responseTypes: Set<String> = ["automatic", "json", "urlencoded", "text", "string", "raw", "binary", "xml"]
    static let errorTypes: Set<String> = [
        "RuntimeError", "DataError", "RateLimitError", "OutOfSpaceError", "ConnectionError",
        "InvalidConfigurationError", "InvalidAccessTokenError", "IncompleteDataError", "DuplicateDataError",
        "UnknownError",
    ]
    static let sanitizeRoots = [
        "request.url", "request.headers", "request.qs", "request.body", "response.headers", "response.body",
    ]

    private mutating func problem(_ path: String, _ message: String) {
        problems.append(SpecProblem(path: path, message: message))
    }

    private static func path(_ base: String, _ key: String) -> String { JSONPath.appending(key: key, to: base) }

    // MARK: Communication

    /// Checks `communication`: one request object or a non-empty array of them.
    mutating func checkCommunication(_ value: Value?) {
        let path = "communication"
        switch value {
        case nil, .undefined?:
            problem(path, "a connection needs a communication (one request object or an array of them)")
        case .object(let request)?:
            checkRequest(request, at: path)
        case .array(let requests)? where !requests.isEmpty:
            for (index, element) in requests.enumerated() {
                let elementPath = JSONPath.appending(index: index, to: path)
                guard case .object(let request) = element else {
                    problem(elementPath, "a request must be an object")
                    continue
                }
                checkRequest(request, at: elementPath)
            }
        default:
            problem(path, "communication must be a request object or a non-empty array of them")
        }
        if let value {
            problems += CompiledDocument.problems(in: value, location: path).map(SpecProblem.init)
            warnings += CompiledDocument.warnings(in: value, location: path).map {
                SpecProblem(path: $0.location, column: $0.column > 0 ? $0.column : nil, message: $0.message)
            }
        }
    }

    private mutating func checkRequest(_ request: Object, at base: String) {
        if request["url"] == nil { problem(Self.path(base, "url"), "the url is required") }
        for key in request.keys {
            let path = Self.path(base, key)
            let value = request[key] ?? .undefined
            switch key {
            case "url":
                expectString(value, at: path)
                if checksURLs, case .string(let url) = value, !url.contains("{{"),
                    let violation = URLPolicy.violation(of: url, allowPlainHTTP: allowPlainHTTP)
                {
                    problem(path, "the url breaks the HTTP rules: \(violation.ruleDescription)")
                }
            case "method", "ca": expectString(value, at: path)
            case "encodeUrl", "gzip", "followRedirects", "followAllRedirects", "followRedirect", "followAllRedirect":
                expectBoolean(value, at: path)
            case "headers": checkHeaders(value, at: path)
            case "qs", "temp": expectObject(value, at: path)
            case "body": break
            case "type": expectOneOf(Self.requestTypes, value, at: path, what: "request type")
            case "condition": checkCondition(value, at: path)
            case "log": checkLog(value, at: path)
            case "response": checkResponse(value, at: path)
            case "auth": checkAuth(value, at: path)
            case "repeat", "shareCookies":
                warnings.append(SpecProblem(path: path, message: "'\(key)' is accepted and ignored"))
            case "rejectUnauthorized":
                if value != .bool(true) {
                    problem(path, "rejectUnauthorized can only be true: certificate checks cannot be turned off")
                }
            case "aws", "pagination":
                problem(path, "'\(key)' is not allowed in a basic connection")
            default:
                problem(path, "unknown key '\(key)' in a request")
            }
        }
    }

    private mutating func checkHeaders(_ value: Value, at path: String) {
        guard case .object(let headers) = value else { return problem(path, "headers must be an object") }
        for key in headers.keys {
            switch headers[key] {
            case .string?, .number?, .bool?, .null?: break
            default: problem(Self.path(path, key), "a header value must be text (a template), a number or a boolean")
            }
        }
    }

    private mutating func checkCondition(_ value: Value, at path: String) {
        switch value {
        case .string, .bool: break
        case .object(let object):
            for key in object.keys where key != "condition" && key != "default" {
                problem(Self.path(path, key), "unknown key '\(key)' in a condition (expected condition, default)")
            }
        default: problem(path, "a condition must be a template, a boolean or {condition, default}")
        }
    }

    private mutating func checkLog(_ value: Value, at path: String) {
        guard case .object(let log) = value else { return problem(path, "log must be an object {sanitize: [...]}") }
        for key in log.keys where key != "sanitize" { problem(Self.path(path, key), "unknown key '\(key)' in log") }
        guard let sanitize = log["sanitize"] else { return }
        let sanitizePath = Self.path(path, "sanitize")
        guard case .array(let paths) = sanitize else { return problem(sanitizePath, "sanitize must be an array of paths") }
        for (index, element) in paths.enumerated() {
            let elementPath = JSONPath.appending(index: index, to: sanitizePath)
            guard case .string(let text) = element else { problem(elementPath, "a sanitize path must be text"); continue }
            let lower = text.lowercased()
            if !Self.sanitizeRoots.contains(where: { lower == $0 || lower.hasPrefix($0 + ".") }) {
                problem(elementPath, "a sanitize path starts with one of \(Self.sanitizeRoots.joined(separator: ", "))")
            }
        }
    }

    private mutating func checkAuth(_ value: Value, at path: String) {
        guard case .object(let auth) = value else { return problem(path, "auth must be an object {type, username, password}") }
        for key in auth.keys {
            let keyPath = Self.path(path, key)
            switch key {
            case "type": expectOneOf(["digest", "basic"], auth[key] ?? .undefined, at: keyPath, what: "auth type")
            case "username", "password": expectString(auth[key] ?? .undefined, at: keyPath)
            default: problem(keyPath, "unknown key '\(key)' in auth (expected type, username, password)")
            }
        }
        if auth["type"] == nil { problem(Self.path(path, "type"), "auth needs a type (digest or basic)") }
    }

    // MARK: Response

    private mutating func checkResponse(_ value: Value, at base: String) {
        guard case .object(let response) = value else { return problem(base, "response must be an object") }
        for key in response.keys {
            let path = Self.path(base, key)
            let value = response[key] ?? .undefined
            switch key {
            case "type": checkResponseType(value, at: path)
            case "temp", "data": expectObject(value, at: path)
            case "valid": checkValid(value, at: path)
            case "error": checkError(value, at: path)
            case "metadata": checkMetadata(value, at: path)
            case "uid", "expires":
                switch value {
                case .string, .number: break
                default: problem(path, "\(key) must be a template or a number")
                }
            case "limit", "iterate", "output":
                problem(path, "'response.\(key)' is not allowed in a basic connection")
            default:
                problem(path, "unknown key '\(key)' in a response")
            }
        }
    }

    private mutating func checkResponseType(_ value: Value, at path: String) {
        guard case .object(let byStatus) = value else {
            return expectOneOf(Self.responseTypes, value, at: path, what: "response type")
        }
        for key in byStatus.keys {
            let keyPath = Self.path(path, key)
            if StatusPattern(key) == nil { problem(keyPath, "a status key is '*', 'NNN' or 'NNN-NNN'") }
            expectOneOf(Self.responseTypes, byStatus[key] ?? .undefined, at: keyPath, what: "response type")
        }
    }

    private mutating func checkValid(_ value: Value, at path: String) {
        switch value {
        case .string, .bool: break
        case .object(let valid):
            for key in valid.keys {
                let keyPath = Self.path(path, key)
                switch key {
                case "condition": break
                case "message": expectString(valid[key] ?? .undefined, at: keyPath)
                case "type": checkErrorType(valid[key] ?? .undefined, at: keyPath)
                default: problem(keyPath, "unknown key '\(key)' in valid (expected condition, message, type)")
                }
            }
        default: problem(path, "valid must be a template, a boolean or {condition, message, type}")
        }
    }

    private mutating func checkError(_ value: Value, at path: String) {
        switch value {
        case .string: break
        case .object(let error):
            for key in error.keys {
                let keyPath = Self.path(path, key)
                let member = error[key] ?? .undefined
                switch key {
                case "message": expectString(member, at: keyPath)
                case "type": checkErrorType(member, at: keyPath)
                default:
                    guard key.count == 3, Int(key).map({ (100...599).contains($0) }) == true else {
                        problem(keyPath, "unknown key '\(key)' in error (expected message, type or a status code)")
                        continue
                    }
                    guard case .object(let byStatus) = member else {
                        problem(keyPath, "error.\(key) must be {message, type}")
                        continue
                    }
                    for inner in byStatus.keys {
                        let innerPath = Self.path(keyPath, inner)
                        switch inner {
                        case "message": expectString(byStatus[inner] ?? .undefined, at: innerPath)
                        case "type": checkErrorType(byStatus[inner] ?? .undefined, at: innerPath)
                        default: problem(innerPath, "unknown key '\(inner)' (expected message, type)")
                        }
                    }
                }
            }
        default: problem(path, "error must be a template or {message, type, \"NNN\": {…}}")
        }
    }

    private mutating func checkErrorType(_ value: Value, at path: String) {
        guard case .string(let text) = value else { return problem(path, "an error type must be text") }
        if !text.contains("{{") && !Self.errorTypes.contains(text) {
            problem(path, "unknown error type '\(text)' (expected one of \(Self.errorTypes.sorted().joined(separator: ", ")))")
        }
    }

    private mutating func checkMetadata(_ value: Value, at path: String) {
        guard case .object(let metadata) = value else { return problem(path, "metadata must be {type, value}") }
        for key in metadata.keys {
            let keyPath = Self.path(path, key)
            switch key {
            case "value": break
            case "type":
                if case .string(let text) = metadata[key], !text.contains("{{") {
                    expectOneOf(["text", "email"], .string(text), at: keyPath, what: "metadata type")
                } else if case .string = metadata[key] {
                } else {
                    problem(keyPath, "the metadata type must be text or email")
                }
            default: problem(keyPath, "unknown key '\(key)' in metadata (expected type, value)")
            }
        }
    }

    // MARK: Value kinds

    private mutating func expectString(_ value: Value, at path: String) {
        if case .string = value { return }
        problem(path, "expected text (a template), found \(value.kindName)")
    }

    private mutating func expectBoolean(_ value: Value, at path: String) {
        if case .bool = value { return }
        problem(path, "expected true or false, found \(value.kindName)")
    }

    private mutating func expectObject(_ value: Value, at path: String) {
        if case .object = value { return }
        problem(path, "expected an object, found \(value.kindName)")
    }

    private mutating func expectOneOf(_ allowed: Set<String>, _ value: Value, at path: String, what: String) {
        if case .string(let text) = value, allowed.contains(text) { return }
        let found = if case .string(let text) = value { "'\(text)'" } else { value.kindName }
        problem(path, "unknown \(what) \(found) (expected one of \(allowed.sorted().joined(separator: ", ")))")
    }
}

/// A status key of a status-keyed `response.type`: `*`, `NNN` or `NNN-NNN`.
struct StatusPattern: Sendable, Hashable {
    let range: ClosedRange<Int>

    init?(_ key: String) {
        if key == "*" {
            range = 0...999
            return
        }
        let parts = key.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.count == 3 && Int($0) != nil }),
            let low = Int(parts[0]), let high = Int(parts[parts.count - 1]), low <= high
        else { return nil }
        range = low...high
    }

    /// Narrower patterns win: the width of the range.
    var width: Int { range.count }
}
