import IML

/// A connection spec's `communication`, compiled once: each request's directives as separate documents, so the
/// executor can evaluate them in the documented order (connection-spec §4).
struct CompiledFlow: Sendable {
    /// One request's compiled directives. A class: runs pass it down the request path (builder, log, secrets),
    /// and each copy of a struct this size retained every document in it.
    final class Request: Sendable {
        let temp: CompiledDocument?
        let condition: CompiledDocument?
        let url: CompiledDocument
        let method: CompiledDocument?
        let headers: CompiledDocument?
        let qs: CompiledDocument?
        let body: CompiledDocument?
        let ca: CompiledDocument?
        let auth: CompiledDocument?
        let bodyType: String
        let encodeURL: Bool
        let gzip: Bool
        let followRedirects: Bool
        let followAllRedirects: Bool
        let sanitize: [String]
        /// Headers whose template may read a secret (``SecretReads``), by lower-cased name.
        let secretHeaders: SecretNames
        /// Query and body fields whose template may read a secret: their whole values are redacted.
        let secretFields: SecretNames
        let response: Response

        init(
            temp: CompiledDocument?, condition: CompiledDocument?, url: CompiledDocument, method: CompiledDocument?,
            headers: CompiledDocument?, qs: CompiledDocument?, body: CompiledDocument?, ca: CompiledDocument?,
            auth: CompiledDocument?, bodyType: String, encodeURL: Bool, gzip: Bool, followRedirects: Bool,
            followAllRedirects: Bool, sanitize: [String], secretHeaders: SecretNames, secretFields: SecretNames,
            response: Response
        ) {
            self.temp = temp
            self.condition = condition
            self.url = url
            self.method = method
            self.headers = headers
            self.qs = qs
            self.body = body
            self.ca = ca
            self.auth = auth
            self.bodyType = bodyType
            self.encodeURL = encodeURL
            self.gzip = gzip
            self.followRedirects = followRedirects
            self.followAllRedirects = followAllRedirects
            self.sanitize = sanitize
            self.secretHeaders = secretHeaders
            self.secretFields = secretFields
            self.response = response
        }
    }

    struct Response: Sendable {
        let type: Value?
        let temp: CompiledDocument?
        let valid: CompiledDocument?
        let error: CompiledDocument?
        let data: CompiledDocument?
        let metadata: CompiledDocument?
        let uid: CompiledDocument?
        let expires: CompiledDocument?
        /// Keys of `data` whose template is exactly `{{undefined}}`: deleted after use.
        let deletedKeys: [String]

        /// Whether a response template reads `headers`: when none does (and no log is kept), the response's header
        /// fields are never turned into an IML object.
        private(set) var readsHeaders = false

        init(
            type: Value?, temp: CompiledDocument?, valid: CompiledDocument?, error: CompiledDocument?,
            data: CompiledDocument?, metadata: CompiledDocument?, uid: CompiledDocument?, expires: CompiledDocument?,
            deletedKeys: [String]
        ) {
            self.type = type
            self.temp = temp
            self.valid = valid
            self.error = error
            self.data = data
            self.metadata = metadata
            self.uid = uid
            self.expires = expires
            self.deletedKeys = deletedKeys
            readsHeaders = [temp, valid, error, data, metadata, uid, expires].contains {
                $0?.readsVariable("headers") == true
            }
        }
    }

    let requests: [Request]
    /// Parameters that a `response.data` deletes after use (`"password": "{{undefined}}"`).
    let deletedAfterUse: Set<String>
    /// Those of ``deletedAfterUse`` that the flow's text reads as `parameters.NAME`: a stored connection without
    /// them needs input again (rule 1 of connection-spec §8).
    let deletedAndRead: Set<String>

    init(_ spec: ConnectionSpec) throws {
        let elements: [Value] = if case .array(let array) = spec.communication { array } else { [spec.communication] }
        let secretReads = SecretReads(
            secretNames: Set(spec.parameters.filter(\.isSecret).map(\.name)), elements: elements)
        var requests: [Request] = []
        for (index, element) in elements.enumerated() {
            guard case .object(let object) = element else { continue }
            let path = spec.communication.arrayValue == nil ? "communication" : "communication[\(index)]"
            requests.append(try Self.request(object, path: path, secretReads: secretReads))
        }
        self.requests = requests
        deletedAfterUse = Set(requests.flatMap(\.response.deletedKeys)).intersection(spec.parameters.map(\.name))
        let text = spec.communication.compactJSON()
        deletedAndRead = deletedAfterUse.filter { text.contains("parameters.\($0)") }
    }

    private static func compile(_ object: Object, _ key: String, path: String) throws -> CompiledDocument? {
        guard let value = object[key] else { return nil }
        return try CompiledDocument(value, location: JSONPath.appending(key: key, to: path))
    }

    private static func request(_ object: Object, path: String, secretReads: SecretReads) throws -> Request {
        func flag(_ names: String..., default fallback: Bool) -> Bool {
            for name in names { if case .bool(let value)? = object[name] { return value } }
            return fallback
        }
        var sanitize: [String] = []
        if case .array(let paths)? = object["log"]?["sanitize"] { sanitize = paths.compactMap(\.stringValue) }
        let response = object["response"]?.objectValue ?? Object()
        let responsePath = JSONPath.appending(key: "response", to: path)
        var deleted: [String] = []
        if case .object(let data)? = response["data"] {
            deleted = data.keys.filter { data[$0]?.stringValue?.filter { !$0.isWhitespace } == "{{undefined}}" }
        }
        return Request(
            temp: try compile(object, "temp", path: path),
            condition: try compile(object, "condition", path: path),
            url: try compile(object, "url", path: path) ?? CompiledDocument(.undefined),
            method: try compile(object, "method", path: path),
            headers: try compile(object, "headers", path: path),
            qs: try compile(object, "qs", path: path),
            body: try compile(object, "body", path: path),
            ca: try compile(object, "ca", path: path),
            auth: try compile(object, "auth", path: path),
            bodyType: object["type"]?.stringValue ?? "json",
            encodeURL: flag("encodeUrl", default: true),
            gzip: flag("gzip", default: false),
            followRedirects: flag("followRedirects", "followRedirect", default: true),
            followAllRedirects: flag("followAllRedirects", "followAllRedirect", default: true),
            sanitize: sanitize,
            secretHeaders: secretReads.names(in: object["headers"]).lowercased(),
            secretFields: secretReads.names(in: object["qs"]).union(secretReads.names(in: object["body"])),
            response: Response(
                type: response["type"],
                temp: try compile(response, "temp", path: responsePath),
                valid: try compile(response, "valid", path: responsePath),
                error: try compile(response, "error", path: responsePath),
                data: try compile(response, "data", path: responsePath),
                metadata: try compile(response, "metadata", path: responsePath),
                uid: try compile(response, "uid", path: responsePath),
                expires: try compile(response, "expires", path: responsePath),
                deletedKeys: deleted))
    }
}

/// Which templates of a flow may read a secret: one that reads `common`, may reach a `password` parameter
/// (``CompiledDocument/mayReadMember(of:in:)``: by name, or through `parameters` whole or indexed) or one of the
/// stored `data` that holds them, or reads `temp` (or `data`, which `response.data` may fill from it) when any of the
/// flow's `temp` templates may read a secret (then every `temp` value counts as one).
struct SecretReads {
    let secretNames: Set<String>
    private(set) var throughTemp = false

    init(secretNames: Set<String>, elements: [Value]) {
        self.secretNames = secretNames
        throughTemp = elements.contains { element in
            [element["temp"], element["response"]?["temp"]].contains { $0.map(reads) == true }
        }
    }

    /// Whether the template `value` may read a secret; a template that does not compile counts as one.
    func reads(_ value: Value) -> Bool {
        guard let document = try? CompiledDocument(value) else { return true }
        return document.readsVariable("common") || document.mayReadMember(of: "parameters", in: secretNames)
            || document.mayReadMember(of: "data", in: secretNames)
            || (throughTemp && (document.readsVariable("temp") || document.readsVariable("data")))
    }

    /// The members of an object of templates (headers, query, body) whose value may read a secret: every member,
    /// when a spread that may read one can add any name, or when the whole object is one template that may.
    func names(in value: Value?) -> SecretNames {
        switch value {
        case .object(let object)?:
            var found = SecretNames()
            for member in object where reads(member.value) {
                if member.key == CompiledDocument.spreadKey { found.all = true } else { found.names.insert(member.key) }
            }
            return found
        case let value? where reads(value): return SecretNames(all: true)
        default: return SecretNames()
        }
    }
}

/// Names of a request's headers or fields whose values may hold a secret: some by name, or all of them.
struct SecretNames: Sendable {
    var names: Set<String> = []
    var all = false

    func contains(_ name: String) -> Bool { all || names.contains(name) }

    func lowercased() -> SecretNames { SecretNames(names: Set(names.map { $0.lowercased() }), all: all) }

    func union(_ other: SecretNames) -> SecretNames {
        SecretNames(names: names.union(other.names), all: all || other.all)
    }
}
