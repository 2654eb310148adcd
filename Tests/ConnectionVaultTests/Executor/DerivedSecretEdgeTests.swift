import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Secrets through redirects, spreads, stored data, and what is too short to redact")
struct DerivedSecretEdgeTests {
    static func everything(_ result: FlowResult) -> String {
        (result.error ?? "") + "\n" + result.log.map { $0.compactJSON() }.joined(separator: "\n")
    }
    static func hash(_ f: String, _ s: String) throws -> String {
        try Template("{{\(f)('\(s)')}}").evaluate(in: EvaluationContext()).stringValue ?? ""
    }

    /// A redirect refused before any response reaches the run: its message names the target the server built from
    /// the Basic value, which is registered before sending.
    @Test func aRefusedRedirectDoesNotShowTheBasicValue() async throws {
        let b64 = Data("api:CANARY-pw-a".utf8).base64EncodedString()
        let server = try ScriptedHTTPServer { _ in .redirect(to: "ftp://evil.example/\(b64)") }
        let all = try await Fixtures.errorAndLog(
            """
            {"communication": {"url": "BASE/login",
               "auth": {"type": "basic", "username": "api", "password": "{{parameters.password}}"}},
             "parameters": [{"name": "password", "type": "password"}]}
            """, server: server, parameters: ["password": "CANARY-pw-a"])
        #expect(!all.contains(b64), "\(all)")
    }

    /// User information with a user (a token) and no password: libcurl sends Basic base64("token:"), redacted.
    @Test func aUserAloneInTheURLIsRedactedInItsBasicForm() async throws {
        let server = try ScriptedHTTPServer { request in
            .json(#"{"echo": "\#(request.header("Authorization") ?? "none")"}"#, status: 401)
        }
        let port = server.baseURL.components(separatedBy: ":").last!
        let all = try await Fixtures.errorAndLog(
            """
            {"communication": {"url": "http://{{parameters.token}}@127.0.0.1:\(port)/login",
               "response": {"error": {"message": "{{body.echo}}"}}},
             "parameters": [{"name": "token", "type": "password"}]}
            """, server: server, parameters: ["token": "CANARYtokenB1"])
        #expect(!all.contains(Data("CANARYtokenB1:".utf8).base64EncodedString()), "\(all)")
    }

    /// Headers a spread builds from a secret may have any name: every header counts as secret.
    @Test(arguments: [#"{"{{...}}": "{{temp.h}}"}"#])
    func headersASpreadBuildsFromASecretAreRedacted(headers: String) async throws {
        let server = try ScriptedHTTPServer { request in
            .text("you sent \(request.header("X-Sig") ?? "none")", status: 401)
        }
        let all = try await Fixtures.errorAndLog(
            """
            {"communication": {"url": "BASE/login",
               "temp": {"h": {"X-Sig": "{{sha256(parameters.password)}}"}},
               "headers": \(headers),
               "response": {"error": {"message": "{{body}}"}}},
             "parameters": [{"name": "password", "type": "password"}]}
            """, server: server, parameters: ["password": "CANARY-pw-c"])
        let sig = try Self.hash("sha256", "CANARY-pw-c")
        #expect(all.contains("you sent"), "\(all)")
        #expect(!all.contains(sig), "\(all)")
    }

    /// The same for a body spread.
    @Test func bodyFieldsASpreadBuildsFromASecretAreRedacted() async throws {
        let server = try ScriptedHTTPServer { request in .text("body \(request.bodyText)", status: 400) }
        let all = try await Fixtures.errorAndLog(
            """
            {"communication": {"url": "BASE/login", "method": "POST",
               "temp": {"b": {"sig": "{{sha256(parameters.password)}}"}},
               "body": {"{{...}}": "{{temp.b}}"},
               "response": {"error": {"message": "{{body}}"}}},
             "parameters": [{"name": "password", "type": "password"}]}
            """, server: server, parameters: ["password": "CANARY-pw-c2"])
        #expect(!all.contains(try Self.hash("sha256", "CANARY-pw-c2")), "\(all)")
    }

    /// `data` (the stored collection, which holds every parameter) is a way to a secret.
    @Test func readingStoredDataReachesSecrets() async throws {
        let server = try ScriptedHTTPServer { request in
            .text("you sent \(request.header("X-Sig") ?? "none")", status: 401)
        }
        let spec = try Fixtures.spec(
            """
            {"communication": {"url": "BASE/login",
               "headers": {"X-Sig": "{{sha256(data.apiKey)}}"},
               "response": {"error": {"message": "{{body}}"}}},
             "parameters": [{"name": "apiKey", "type": "password"}]}
            """, server: server)
        let result = await Fixtures.executor().run(
            spec, parameters: ["apiKey": "CANARY-key-d"], common: Object(), data: ["apiKey": "CANARY-key-d"],
            isStored: true)
        let all = Self.everything(result)
        #expect(!all.contains(try Self.hash("sha256", "CANARY-key-d")), "\(all)")
    }

    /// The headers counted as secret are also those dropped on a redirect to another origin.
    @Test(arguments: [
        (#"{"{{...}}": "{{temp.h}}"}"#, #"{"h": {"X-Api-Key": "{{parameters.apiKey}}"}}"#),
        (#"{"X-Api-Key": "{{data.apiKey}}"}"#, #"{}"#),
        (#"{"X-Api-Key": "{{parameters.apiKey}}"}"#, #"{}"#),
    ])
    func secretHeadersAreNotForwardedToAnotherOrigin(headers: String, temp: String) async throws {
        let other = try ScriptedHTTPServer { _ in .json("{}") }
        let server = try ScriptedHTTPServer { _ in .redirect(to: "\(other.baseURL)/landing") }
        let spec = try Fixtures.spec(
            """
            {"communication": {"url": "BASE/login", "temp": \(temp), "headers": \(headers)},
             "parameters": [{"name": "apiKey", "type": "password"}]}
            """, server: server)
        _ = await Fixtures.executor().run(
            spec, parameters: ["apiKey": "CANARY-key-e"], common: Object(), data: ["apiKey": "CANARY-key-e"],
            isStored: true)
        #expect(server.requests.first?.header("X-Api-Key") == "CANARY-key-e")
        #expect(other.requests.count == 1)
        #expect(other.requests.first?.header("X-Api-Key") == nil, "forwarded to \(other.baseURL)")
    }

    /// An empty bearer token registers nothing: "Bearer" elsewhere in a message stays.
    @Test func anEmptyBearerTokenRedactsNothing() async throws {
        let server = try ScriptedHTTPServer { _ in .text("Bearer token required", status: 401) }
        let spec = try Fixtures.spec(
            """
            {"communication": {"url": "BASE/login",
               "headers": {"Authorization": "Bearer {{parameters.token}}"},
               "response": {"error": {"message": "{{body}}"}}},
             "parameters": [{"name": "token", "type": "text"}]}
            """, server: server)
        let result = await Fixtures.executor().run(spec, parameters: ["token": ""], common: Object())
        #expect(result.error == "Bearer token required", "\(result.error ?? "")")
    }

    /// Strings inside a nested secret field shorter than three bytes are not registered (they would blank out every
    /// such character).
    @Test func shortStringsInASecretFieldAreNotRedacted() async throws {
        let server = try ScriptedHTTPServer { _ in .json("{}", status: 422) }
        let spec = try Fixtures.spec(
            """
            {"communication": {"url": "BASE/login", "method": "POST",
               "body": {"auth": {"v": "2", "type": "password", "key": "{{parameters.apiKey}}"}}},
             "parameters": [{"name": "apiKey", "type": "password"}]}
            """, server: server)
        let result = await Fixtures.executor().run(spec, parameters: ["apiKey": "CANARY-key-f"], common: Object())
        #expect(result.error == "the service answered with HTTP status 422", "\(result.error ?? "")")
    }

    /// The second request echoes the first request's Basic value: redacted.
    @Test func aLaterRequestEchoingAnEarlierBasicValueIsRedacted() async throws {
        let server = try ScriptedHTTPServer { request in
            if request.path == "/one" { return .json(#"{"a": "\#(request.header("Authorization") ?? "")"}"#) }
            return .text("earlier \(request.query ?? "")", status: 400)
        }
        let all = try await Fixtures.errorAndLog(
            """
            {"communication": [
               {"url": "BASE/one", "auth": {"type": "basic", "username": "api", "password": "{{parameters.password}}"},
                "response": {"temp": {"a": "{{body.a}}"}}},
               {"url": "BASE/two", "qs": {"x": "{{temp.a}}"}, "response": {"error": {"message": "{{body}}"}}}],
             "parameters": [{"name": "password", "type": "password"}]}
            """, server: server, parameters: ["password": "CANARY-pw-g"])
        #expect(!all.contains(Data("api:CANARY-pw-g".utf8).base64EncodedString()), "\(all)")
    }

    /// Freshdesk-style Basic (an API key as user, the literal "X" as password): "X" is too short to register.
    @Test func aOneCharacterLiteralPasswordIsNotRedacted() async throws {
        let server = try ScriptedHTTPServer { _ in .text("Missing X-Account header", status: 400) }
        let spec = try Fixtures.spec(
            """
            {"communication": {"url": "BASE/login",
               "auth": {"type": "basic", "username": "{{parameters.apiKey}}", "password": "X"},
               "response": {"error": {"message": "{{body}}"}}},
             "parameters": [{"name": "apiKey", "type": "password"}]}
            """, server: server)
        let result = await Fixtures.executor().run(spec, parameters: ["apiKey": "CANARY-key-f3"], common: Object())
        #expect(result.error == "Missing X-Account header", "\(result.error ?? "")")
    }
}
