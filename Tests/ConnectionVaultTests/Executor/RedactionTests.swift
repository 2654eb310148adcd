import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Redaction of secrets")
struct RedactionTests {
    static let password = "CANARY-pw-5f2b9c"
    static let secret = "CANARY-common-77e1"

    static let spec = """
        {"communication": {"url": "BASE/login", "method": "POST",
           "headers": {"authorization": "Basic {{base64(parameters.user + ':' + parameters.password)}}",
                       "x-signature": "{{sha256(common.salt + parameters.user)}}", "x-plain": "hello"},
           "qs": {"u": "{{parameters.user}}", "p": "{{parameters.password}}"},
           "body": {"password": "{{parameters.password}}", "note": "{{common.salt}}", "user": "{{parameters.user}}"},
           "log": {"sanitize": ["request.body.user", "response.body.`session.id`", "request.headers.nope"]},
           "response": {"error": {"message": "Login failed for {{parameters.user}} with {{parameters.password}} / {{body.echo}}"}}},
         "parameters": [{"name": "user", "type": "text"}, {"name": "password", "type": "password"}]}
        """

    @Test func secretsAndTheirFormsNeverAppearInErrorsOrLogs() async throws {
        let server = try ScriptedHTTPServer { request in
            // A hostile service echoes everything it received back into its error body.
            .json(#"{"echo": "\#(request.target) \#(request.header("Authorization") ?? "") \#(request.bodyText.replacingOccurrences(of: "\"", with: "'"))", "session.id": "s-1"}"#, status: 401)
        }
        let spec = try Fixtures.spec(Self.spec, server: server)
        let result = await Fixtures.executor().run(
            spec, parameters: ["user": "jane", "password": .string(Self.password)], common: ["salt": .string(Self.secret)])
        #expect(result.outcome == .invalid)
        let error = try #require(result.error)
        #expect(error.contains("Login failed for jane with <redacted>"))
        let everything = error + result.log.map { $0.compactJSON() }.joined()
        let forms = [
            Self.password, Self.secret, Data("jane:\(Self.password)".utf8).base64EncodedString(),
            Self.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
            Data(Self.password.utf8).base64EncodedString(),
        ]
        for form in forms { #expect(!everything.contains(form), "leaked \(form)") }
        let entry = try #require(result.log.first)
        #expect(entry["request"]?["headers"]?["authorization"] == "<redacted>")
        #expect(entry["request"]?["headers"]?["x-signature"] == "<redacted>")  // read common: the whole value
        #expect(entry["request"]?["headers"]?["x-plain"] == "hello")
        #expect(entry["request"]?["body"]?["user"] == "<redacted>")  // log.sanitize
        #expect(entry["response"]?["body"]?["session.id"] == "<redacted>")
        #expect(entry["response"]?["status"] == 401)
    }

    /// Each percent-encoded form a secret can take in a URL: the executor's own query and form encoding (RFC 3986
    /// unreserved kept), IML's `encodeURL` (JavaScript's `encodeURIComponent`), and Foundation's alphanumeric and
    /// query sets. The password mixes characters each encoding treats differently.
    static let urlPassword = "CANARY-pw+5f!2b c~é"

    static func percentEncoded(_ text: String, keeping kept: String) -> String {
        let keep = Set(kept.utf8)
        return text.utf8.map { keep.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }

    @Test func everyPercentEncodedFormOfASecretIsRedacted() async throws {
        let server = try ScriptedHTTPServer { request in
            // A hostile service echoes the request target (path and query) into its error message.
            .json(#"{"echo": "\#(request.target)"}"#, status: 401)
        }
        let spec = try Fixtures.spec(
            """
            {"communication": {"url": "BASE/login/{{encodeURL(parameters.password)}}", "qs": {"p": "{{parameters.password}}"},
               "response": {"error": {"message": "echo: {{body.echo}}"}}},
             "parameters": [{"name": "password", "type": "password"}]}
            """, server: server)
        let result = await Fixtures.executor().run(
            spec, parameters: ["password": .string(Self.urlPassword)], common: Object())
        let error = try #require(result.error)
        #expect(error.hasPrefix("echo: /login/<redacted>?p=<redacted>"), "\(error)")
        let digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        let forms = [
            Self.percentEncoded(Self.urlPassword, keeping: digits + "-._~"),  // the executor's qs and form bodies
            Self.percentEncoded(Self.urlPassword, keeping: digits + "-_.!~*'()"),  // IML encodeURL
            Self.urlPassword.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
            Self.urlPassword.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!,
        ]
        #expect(Set(forms).count == 4)  // the password tells the four encodings apart
        for form in forms { #expect(!error.contains(form), "leaked \(form)") }
        for entry in result.log { for form in forms { #expect(!entry.compactJSON().contains(form), "leaked \(form)") } }
    }

    /// A password written straight into the URL goes out in the executor's URL encoding (`encodeUrl`, on by
    /// default), which keeps `[`, `]`, `%` and `@` and encodes the space.
    @Test func aSecretInTheURLPathIsRedactedInItsURLEncodedForm() async throws {
        let password = "CANARY[1]@%zz x"
        let server = try ScriptedHTTPServer { request in .json(#"{"echo": "\#(request.target)"}"#, status: 401) }
        let spec = try Fixtures.spec(
            """
            {"communication": {"url": "BASE/login/{{parameters.password}}",
               "response": {"error": {"message": "echo: {{body.echo}}"}}},
             "parameters": [{"name": "password", "type": "password"}]}
            """, server: server)
        let result = await Fixtures.executor().run(spec, parameters: ["password": .string(password)], common: Object())
        let error = try #require(result.error)
        #expect(error == "echo: /login/<redacted>", "\(error)")
        let log = result.log.map { $0.compactJSON() }.joined()
        #expect(!log.contains("CANARY"), "\(log)")
    }
}
