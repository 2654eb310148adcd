import Foundation
import IML

/// One run of a flow: its variables, what it has collected so far, and the outcome rules of connection-spec §8.
struct FlowRun {
    let spec: ConnectionSpec
    /// The spec's flow when the caller compiled it; nil: the executor's cache compiles it.
    let compiled: CompiledFlow?
    let parameters: Object
    let common: Object
    let data: Object
    let executor: Executor
    let now: Date
    /// The variables every evaluation of this run sees (`temp` and the response's are added per evaluation), and
    /// the clock: built once, not for each of the five or so contexts a request evaluates in.
    private let baseVariables: Object
    private let clock: Instant
    /// Built on first use: a valid run without a log never redacts anything.
    private var redactorStorage: Redactor?
    /// Values that must be redacted besides the spec's secrets (header values built from them…), kept as found and
    /// turned into secrets only when a redactor is needed: a valid run without a log never needs one.
    private var derivedSecrets: [DerivedSecret] = []
    var temp = Object()
    var log: [Value] = []
    var lastStatus: Int?
    var collected = Object()
    var metadata: Value = .undefined
    var uid: Value = .undefined
    var expires: Value = .undefined

    init(
        spec: ConnectionSpec, compiled: CompiledFlow? = nil, parameters: Object, common: Object, data: Object,
        executor: Executor, now: Date
    ) {
        self.spec = spec
        self.compiled = compiled
        self.parameters = parameters
        self.common = common
        self.data = data
        self.executor = executor
        self.now = now
        // Room for the variables a context adds (temp, body, headers, statusCode): each context's copy of the
        // members is then made once, at its final size, instead of being copied and grown again.
        var variables = Object(minimumCapacity: 8)
        variables["parameters"] = .object(parameters)
        variables["common"] = .object(common)
        variables["data"] = .object(data)
        variables["environment"] = ["timezone": .string(executor.configuration.timeZone)]
        baseVariables = variables
        clock = Instant(millisecondsSinceEpoch: Int64(now.timeIntervalSince1970 * 1000))
    }

    /// The redactor of this run: the spec's secrets and every derived value remembered so far.
    private mutating func redactor() -> Redactor {
        if redactorStorage == nil { redactorStorage = Redactor(spec: spec, parameters: parameters, common: common) }
        for derived in derivedSecrets {
            for secret in derived.secrets { redactorStorage!.add(secret) }
        }
        derivedSecrets.removeAll()
        return redactorStorage!
    }

    /// A failure that ends the run: its outcome and the (unredacted) message.
    struct Failure: Error {
        var outcome: Outcome
        var message: String
    }

    mutating func execute(isStored: Bool) async -> FlowResult {
        do {
            let flow: CompiledFlow
            do { flow = try compiled ?? executor.compiledFlow(spec) } catch {
                throw Failure(outcome: .invalid, message: "the spec does not compile: \(error)")
            }
            if let missing = missingParameters(flow, isStored: isStored) {
                throw Failure(
                    outcome: .needsInput,
                    message: "missing parameters: \(missing.joined(separator: ", ")); enter them again with update")
            }
            for request in flow.requests { try await perform(request) }
            return FlowResult(
                outcome: .valid, httpStatus: lastStatus, durationMs: 0, error: nil, verified: try verifiedState(),
                log: log)
        } catch let failure as Failure {
            return FlowResult(
                outcome: failure.outcome, httpStatus: lastStatus, durationMs: 0,
                error: redactor().redact(failure.message), verified: nil, log: log)
        } catch {
            return FlowResult(
                outcome: .invalid, httpStatus: lastStatus, durationMs: 0, error: redactor().redact("\(error)"),
                verified: nil, log: log)
        }
    }

    /// Rule 1 of §8: a required parameter, or one deleted after use that the flow reads, is missing.
    private func missingParameters(_ flow: CompiledFlow, isStored: Bool) -> [String]? {
        let missing = spec.parameters.filter { parameter in
            guard parameters[parameter.name] == nil else { return false }
            if parameter.required { return true }
            return isStored && flow.deletedAndRead.contains(parameter.name)
        }.map(\.name)
        return missing.isEmpty ? nil : missing
    }

    /// The `headers` variable of a flow whose templates never read it: marked as a headers object already, so that
    /// building a context does not copy the variables to mark it.
    private static let noHeaders: Object = {
        var headers = Object()
        headers.ignoresKeyCase = true
        return headers
    }()

    // MARK: Variables

    private func context(response: (body: Value, headers: Object, status: Int)? = nil) -> EvaluationContext {
        var variables = baseVariables
        variables["temp"] = .object(temp)
        if let response {
            variables["body"] = response.body
            variables["headers"] = .object(response.headers)
            variables["statusCode"] = .number(Number(response.status))
        }
        return EvaluationContext(variables: variables, now: clock, timeZone: executor.configuration.timeZone)
    }

    /// Merges what `document` evaluates to into `temp`. Callers build the context only when there is a document.
    private mutating func mergeTemp(_ document: CompiledDocument, _ context: EvaluationContext) throws {
        guard case .object(let values) = try document.evaluate(in: context) else { return }
        for (key, value) in values { temp[key] = value }
    }

    // MARK: One request

    private mutating func perform(_ request: CompiledFlow.Request) async throws {
        if let temp = request.temp { try mergeTemp(temp, context()) }
        if let condition = request.condition {
            var value = try condition.evaluate(in: context())
            if case .object(let object) = value { value = object["condition"] ?? .bool(true) }
            if !value.isTruthy { return }
        }
        let keepsLog = executor.configuration.keepsLog
        let builder = RequestBuilder(
            request: request, context: context(),
            timeouts: HTTPTimeouts(connect: executor.configuration.connectTimeout, total: executor.configuration.requestTimeout),
            maxResponseBytes: executor.configuration.maxResponseBytes, keepsLog: keepsLog)
        let built = try builder.build()
        rememberSecrets(built, request: request)
        var entry: Object = keepsLog ? [
            "request": [
                "method": .string(built.request.method), "url": .string(built.logURL),
                "headers": .object(built.logHeaders), "qs": built.logQuery, "body": built.logBody,
            ],
        ] : Object()
        defer { if keepsLog { appendLog(entry, sanitize: request.sanitize) } }

        let response: HTTPResponse
        do {
            response = try await executor.client.send(built.request)
        } catch {
            throw Failure(outcome: error.isPolicyRefusal ? .invalid : .unreachable, message: error.description)
        }
        lastStatus = response.status
        for authorization in response.sentAuthorizations { derivedSecrets.append(.authorization(authorization)) }
        // Only templates and the log see the headers object; most flows read neither.
        let headers = keepsLog || request.response.readsHeaders ? ResponseParser.headers(response.headers) : Self.noHeaders
        let type = ResponseParser.type(for: request.response.type, status: response.status)
        let body: Value
        do {
            body = try ResponseParser.parse(response.body, type: type, contentType: response.headers.first(named: "Content-Type"))
        } catch {
            if keepsLog { entry["response"] = ["status": .number(Number(response.status)), "headers": .object(headers)] }
            throw Failure(outcome: .unreachable, message: error.message)
        }
        if keepsLog { entry["response"] = ["status": .number(Number(response.status)), "headers": .object(headers), "body": body] }
        let responseVariables = (body: body, headers: headers, status: response.status)
        if let temp = request.response.temp { try mergeTemp(temp, context(response: responseVariables)) }
        let context = context(response: responseVariables)
        try check(request.response, status: response.status, context: context)
        try collect(request.response, context: context)
    }

    /// Whole values of headers, query and body fields built from secrets are redacted everywhere, and so are the
    /// credentials the request carries: its `auth` password, the user information in its URL, and the Basic value
    /// either makes.
    private mutating func rememberSecrets(_ built: RequestBuilder.Built, request: CompiledFlow.Request) {
        for header in built.request.headers {
            if header.hasName("Authorization") {
                derivedSecrets.append(.authorization(header.value))
            } else if request.secretHeaders.contains(HTTPSyntax.lowercased(header.name)) {
                derivedSecrets.append(.value(.string(header.value)))
            }
        }
        for source in [built.logQuery, built.logBody] where source != .undefined {
            if request.secretFields.all {
                derivedSecrets.append(.value(source))
            } else {
                for field in request.secretFields.names {
                    if let value = source[field], value != .undefined { derivedSecrets.append(.value(value)) }
                }
            }
        }
        switch built.request.authentication {
        case .basic(let user, let password)?:
            // Registered before sending: a refused redirect's message may quote a target the server built from it.
            derivedSecrets.append(.basic(user: user, password: password))
        case .digest(_, let password)?: derivedSecrets.append(.value(.string(password)))
        case nil: break
        }
        if built.request.url.utf8.contains(UInt8(ascii: "@")) { derivedSecrets.append(.url(built.request.url)) }
    }

    /// Something a run sent that holds secrets, turned into the strings to redact when a redactor is built.
    private enum DerivedSecret {
        /// A field's or header's whole value: its text, and every string inside it.
        case value(Value)
        /// An `Authorization` value (``Redactor/authorizationSecrets(_:)``).
        case authorization(String)
        /// Basic credentials: the password, and the `Authorization` value made of them.
        case basic(user: String, password: String)
        /// A URL that may hold user information: its password, and the Basic value libcurl makes of it.
        case url(String)

        var secrets: [String] {
            switch self {
            case .value(let value):
                var found = [value.text]
                func walk(_ value: Value) {
                    switch value {
                    case .string(let text): found.append(text)
                    case .array(let elements): elements.forEach(walk)
                    case .object(let object): for member in object { walk(member.value) }
                    default: break
                    }
                }
                if value.stringValue == nil { walk(value) }
                return found
            case .authorization(let value):
                return Redactor.authorizationSecrets(value)
            case .basic(let user, let password):
                return [password]
                    + Redactor.authorizationSecrets(HTTPExchange.basicAuthorization(username: user, password: password))
            case .url(let url):
                guard let (user, password) = URLText.userInformation(url) else { return [] }
                return DerivedSecret.basic(user: user, password: password).secrets
            }
        }
    }

    private mutating func appendLog(_ entry: Object, sanitize: [String]) {
        var entry = entry
        LogSanitizer.apply(sanitize, to: &entry)
        if case .object(var request)? = entry["request"], case .object(var headers)? = request["headers"] {
            if headers["authorization"] != nil { headers["authorization"] = .string(Redactor.mask) }
            request["headers"] = .object(headers)
            entry["request"] = .object(request)
        }
        log.append(redactor().redact(.object(entry)))
    }

    // MARK: Outcome of one response

    /// Steps 6–7 of §4: a 4xx/5xx fails with the error message; otherwise `valid` decides.
    ///
    /// The `error` template is evaluated only for a response that fails: a valid run never needs its message.
    private func check(_ response: CompiledFlow.Response, status: Int, context: EvaluationContext) throws {
        func messageAndType() throws -> (message: String?, type: String?) {
            let error = try response.error?.evaluate(in: context) ?? .undefined
            let byStatus = error[String(status)] ?? .undefined
            return (
                nonEmpty(byStatus["message"]) ?? nonEmpty(error.objectValue == nil ? error : error["message"]),
                nonEmpty(byStatus["type"]) ?? nonEmpty(error["type"])
            )
        }
        if (400...599).contains(status) {
            let (message, type) = try messageAndType()
            throw failure(message: message ?? "the service answered with HTTP status \(status)", type: type, status: status)
        }
        guard let validDocument = response.valid else { return }
        let valid = try validDocument.evaluate(in: context)
        let condition: Value = if case .object(let object) = valid { object["condition"] ?? .bool(true) } else { valid }
        guard !condition.isTruthy else { return }
        var (message, type) = try messageAndType()
        if case .object = valid {
            message = nonEmpty(valid["message"]) ?? message
            type = nonEmpty(valid["type"]) ?? type
        }
        throw failure(message: message ?? "Response marked as invalid.", type: type, status: status)
    }

    private func nonEmpty(_ value: Value?) -> String? {
        guard let value, value != .undefined, value != .null else { return nil }
        let text = value.text
        return text.isEmpty ? nil : text
    }

    /// Rules 4–7 of §8 for a failed response.
    private func failure(message: String, type: String?, status: Int) -> Failure {
        let outcome: Outcome = switch type {
        case "ConnectionError"?, "RateLimitError"?: .unreachable
        case _?: .invalid
        case nil: (500...599).contains(status) ? .unreachable : .invalid
        }
        return Failure(outcome: outcome, message: type.map { "\($0): \(message)" } ?? message)
    }

    /// Step 8: `data`, `metadata`, `uid`, `expires`; later requests win key by key.
    private mutating func collect(_ response: CompiledFlow.Response, context: EvaluationContext) throws {
        if case .object(let values)? = try response.data?.evaluate(in: context) {
            // The first response's data is the collection so far (one array, not grown member by member).
            if collected.isEmpty {
                collected = values
                collected.ignoresKeyCase = false  // even when a template returned the `headers` object
            } else {
                for (key, value) in values { collected[key] = value }
            }
        }
        if let document = response.metadata { metadata = try document.evaluate(in: context) }
        if let document = response.uid { uid = try document.evaluate(in: context) }
        if let document = response.expires { expires = try document.evaluate(in: context) }
    }

    // MARK: The stored state

    /// The data collection rebuilt as parameters merged with `response.data`; an `undefined` value deletes its
    /// key from the collection and, for a parameter, from the stored parameters.
    private func verifiedState() throws -> VerifiedState {
        // Built at its final size: a copy of `parameters` would be made at their size and then grow once or twice
        // as the collected values are added.
        var collection = Object(minimumCapacity: parameters.count + collected.count)
        for (key, value) in parameters { collection[key] = value }
        var kept = parameters
        for (key, value) in collected {
            if value == .undefined {
                collection.removeValue(forKey: key)
                kept.removeValue(forKey: key)
            } else {
                collection[key] = value
            }
        }
        var stateMetadata: Metadata?
        if let value = nonEmpty(metadata["value"]) {
            stateMetadata = Metadata(type: metadata["type"]?.stringValue == "email" ? .email : .text, value: value)
        }
        return VerifiedState(
            parameters: kept, data: collection, metadata: stateMetadata, uid: nonEmpty(uid), expiresAt: expiryDate())
    }

    private func expiryDate() -> Date? {
        switch expires {
        case .date(let instant): return Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
        case .number(let number): return now.addingTimeInterval(number.double)
        case .string(let text):
            let formatter = ISO8601DateFormatter()
            for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
                formatter.formatOptions = options
                if let date = formatter.date(from: text) { return date }
            }
            return Double(text).map { now.addingTimeInterval($0) }
        default: return nil
        }
    }
}
