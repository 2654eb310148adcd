import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

/// Secrets in the forms the HTTP layer and the encoders give them, echoed by a service (a review found each of
/// these leaking on 2026-12-05; every test failed before its fix).
@Suite("Secrets in the forms the HTTP layer and encoders give them")
struct DerivedSecretTests {
    static func everything(_ result: FlowResult) -> String {
        (result.error ?? "") + "\n" + result.log.map { $0.compactJSON() }.joined(separator: "\n")
    }

    /// `encodeUrl: true` (the default) percent-encodes the URL keeping `[ ] # %`: a secret written straight into the
    /// URL is redacted in that form too.
    @Test func aSecretInTheQueryIsRedactedInTheURLEncoding() async throws {
        let server = try ScriptedHTTPServer { request in .text("echo \(request.target)", status: 401) }
        let all = try await Fixtures.errorAndLog(
            """
            {"communication": {"url": "BASE/login?key={{parameters.password}}",
               "response": {"error": {"message": "{{body}}"}}},
             "parameters": [{"name": "password", "type": "password"}]}
            """, server: server, parameters: ["password": "CANARY[pw] x"])
        #expect(!all.contains("CANARY"), "\(all)")
    }

    /// `auth: basic` with a literal user name: the Authorization value the HTTP layer makes is redacted when a
    /// service echoes it.
    @Test func basicCredentialsWithALiteralUserAreRedacted() async throws {
        let server = try ScriptedHTTPServer { request in
            .json(#"{"echo": "\#(request.header("Authorization") ?? "")"}"#, status: 401)
        }
        let all = try await Fixtures.errorAndLog(
            """
            {"communication": {"url": "BASE/login",
               "auth": {"type": "basic", "username": "api", "password": "{{parameters.password}}"},
               "response": {"error": {"message": "{{body.echo}}"}}},
             "parameters": [{"name": "password", "type": "password"}]}
            """, server: server, parameters: ["password": "CANARY-pw-1"])
        let form = Data("api:CANARY-pw-1".utf8).base64EncodedString()
        #expect(!all.contains(form), "\(all)")
    }

    /// The same with client credentials from `common`.
    @Test func basicCredentialsFromCommonAreRedacted() async throws {
        let server = try ScriptedHTTPServer { request in
            .json(#"{"echo": "\#(request.header("Authorization") ?? "")"}"#, status: 401)
        }
        let spec = try Fixtures.spec(
            """
            {"communication": {"url": "BASE/token",
               "auth": {"type": "basic", "username": "{{common.clientId}}", "password": "{{common.clientSecret}}"},
               "response": {"error": {"message": "{{body.echo}}"}}}}
            """, server: server)
        let result = await Fixtures.executor().run(
            spec, parameters: Object(), common: ["clientId": "client-100", "clientSecret": "CANARY-cs-1"])
        let all = Self.everything(result)
        let form = Data("client-100:CANARY-cs-1".utf8).base64EncodedString()
        #expect(!all.contains(form), "\(all)")
    }

    /// Digest: the answer the HTTP layer sends is redacted when a service echoes it ("every Authorization header").
    @Test func aDigestAnswerIsRedacted() async throws {
        let server = try ScriptedHTTPServer { request in
            if let authorization = request.header("Authorization") {
                return .text("you sent: \(authorization)", status: 403)
            }
            return ScriptedResponse(
                status: 401, headers: [("WWW-Authenticate", #"Digest realm="r", nonce="n1", qop="auth", algorithm=MD5"#)])
        }
        let all = try await Fixtures.errorAndLog(
            """
            {"communication": {"url": "BASE/digest",
               "auth": {"type": "digest", "username": "{{parameters.user}}", "password": "{{parameters.password}}"},
               "response": {"error": {"message": "{{body}}"}}},
             "parameters": [{"name": "user", "type": "text"}, {"name": "password", "type": "password"}]}
            """, server: server, parameters: ["user": "jane", "password": "CANARY-pw-2"])
        #expect(!all.contains("response=\""), "\(all)")
    }

    /// JSON bodies escape `"` and `\`: an echoed raw request body carries the escaped form, redacted.
    @Test func aSecretIsRedactedInItsJSONEscapedForm() async throws {
        let server = try ScriptedHTTPServer { request in .text("bad request: \(request.bodyText)", status: 400) }
        let all = try await Fixtures.errorAndLog(
            """
            {"communication": {"url": "BASE/login", "method": "POST",
               "body": {"password": "{{parameters.password}}"},
               "response": {"error": {"message": "{{body}}"}}},
             "parameters": [{"name": "password", "type": "password"}]}
            """, server: server, parameters: ["password": #"CANARY"pw\9"#])
        #expect(!all.contains("CANARY"), "\(all)")
    }

    /// The whole-field rule follows the compiled templates: a field built through `temp`, a backtick member name,
    /// `get(parameters, …)`, `common` through `temp`, and a nested body field are redacted whole.
    @Test func fieldsThatMayReachASecretAreRedactedWhole() async throws {
        let server = try ScriptedHTTPServer { _ in .json("{}", status: 401) }
        let spec = try Fixtures.spec(
            """
            {"communication": {"url": "BASE/login", "method": "POST",
               "temp": {"sig": "{{md5(parameters.password + 'x')}}", "k": "{{common.key}}"},
               "qs": {"direct": "{{md5(parameters.password)}}", "viaTemp": "{{temp.sig}}"},
               "headers": {"x-backtick": "{{sha256(parameters.`password`)}}", "x-get": "{{sha1(get(parameters, 'password'))}}",
                           "x-common": "{{upper(temp.k)}}"},
               "body": {"outer": {"inner": "{{sha512(parameters.password)}}"}}},
             "parameters": [{"name": "password", "type": "password"}]}
            """, server: server)
        let password = "CANARY-pw-3"
        let result = await Fixtures.executor().run(
            spec, parameters: ["password": .string(password)], common: ["key": "canary-common"])
        let all = Self.everything(result)
        func hex(_ name: String) throws -> String {
            try Template("{{\(name)('\(password)')}}").evaluate(in: EvaluationContext()).stringValue ?? ""
        }
        #expect(!all.contains(try Template("{{md5('\(password)x')}}").evaluate(in: EvaluationContext()).stringValue!), "md5 via temp: \(all)")
        #expect(!all.contains(try hex("sha256")), "backtick: \(all)")
        #expect(!all.contains(try hex("sha1")), "get(): \(all)")
        #expect(!all.contains(try hex("sha512")), "nested body field: \(all)")
        #expect(!all.contains("CANARY-COMMON"), "common via temp: \(all)")
    }

    /// Credentials in the URL's user information: libcurl sends them as Basic, and an echo of it is redacted.
    @Test func userInformationIsRedactedInItsBasicForm() async throws {
        let server = try ScriptedHTTPServer { request in
            .json(#"{"echo": "\#(request.header("Authorization") ?? "")"}"#, status: 401)
        }
        let all = try await Fixtures.errorAndLog(
            """
            {"communication": {"url": "http://api:{{parameters.password}}@127.0.0.1:PORT/login",
               "response": {"error": {"message": "{{body.echo}}"}}},
             "parameters": [{"name": "password", "type": "password"}]}
            """.replacingOccurrences(of: "PORT", with: server.baseURL.components(separatedBy: ":").last!), server: server, parameters: ["password": "CANARY-pw-5"])
        #expect(!all.contains(Data("api:CANARY-pw-5".utf8).base64EncodedString()), "\(all)")
    }

    /// Object keys and binary values in the log are redacted.
    @Test func objectKeysAndBinaryValuesAreRedacted() async throws {
        let server = try ScriptedHTTPServer { request in
            .json(#"{"CANARY-pw-6": "unknown key"}"#, status: 401)
        }
        let all = try await Fixtures.errorAndLog(
            """
            {"communication": {"url": "BASE/login", "method": "POST", "type": "binary",
               "body": "{{toBinary(parameters.password + '!')}}"},
             "parameters": [{"name": "password", "type": "password"}]}
            """, server: server, parameters: ["password": "CANARY-pw-6"])
        #expect(!all.contains("CANARY"), "key: \(all)")
        #expect(!all.contains(Data("CANARY-pw-6!".utf8).base64EncodedString()), "binary: \(all)")
    }
}
