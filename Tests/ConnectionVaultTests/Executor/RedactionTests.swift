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
}
