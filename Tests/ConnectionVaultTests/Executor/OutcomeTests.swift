import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Outcomes and error messages")
struct OutcomeTests {
    func run(_ spec: String, _ respond: @escaping ScriptedHTTPServer.Handler, parameters: Object = [:],
             executor: Executor = Fixtures.executor()) async throws -> (FlowResult, ScriptedHTTPServer) {
        let server = try ScriptedHTTPServer(respond)
        let result = await executor.run(try Fixtures.spec(spec, server: server), parameters: parameters, common: [:])
        return (result, server)
    }

    static let withErrors = """
        {"communication": {"url": "BASE/me",
          "response": {"valid": {"condition": "{{body.ok}}", "message": "Not OK: {{body.reason}}"},
                       "error": {"message": "[{{statusCode}}] {{body.message}}", "type": "DataError",
                                 "429": {"message": "slow down", "type": "RateLimitError"},
                                 "401": {"message": "Bad key"}}}}}
        """

    @Test func statusCodesAndTypesDecideTheOutcome() async throws {
        var (result, _) = try await run(Self.withErrors) { _ in .json(#"{"message":"denied"}"#, status: 401) }
        #expect(result.outcome == .invalid && result.error == "DataError: Bad key" && result.httpStatus == 401)
        (result, _) = try await run(Self.withErrors) { _ in .json(#"{"message":"boom"}"#, status: 503) }
        #expect(result.outcome == .invalid && result.error == "DataError: [503] boom")  // a stated type wins over 5xx
        (result, _) = try await run(Self.withErrors) { _ in .json("{}", status: 429) }
        #expect(result.outcome == .unreachable && result.error == "RateLimitError: slow down")
        (result, _) = try await run(Self.withErrors) { _ in .json(#"{"ok": false, "reason": "suspended"}"#) }
        #expect(result.outcome == .invalid && result.error == "DataError: Not OK: suspended")
        (result, _) = try await run(Self.withErrors) { _ in .json(#"{"ok": true}"#) }
        #expect(result.outcome == .valid)
    }

    @Test func withoutAStatedTypeServerErrorsAreUnreachableAndClientErrorsInvalid() async throws {
        let spec = #"{"communication": {"url": "BASE/me"}}"#
        var (result, _) = try await run(spec) { _ in .text("oops", status: 500) }
        #expect(result.outcome == .unreachable && result.error == "the service answered with HTTP status 500")
        (result, _) = try await run(spec) { _ in .text("no", status: 404) }
        #expect(result.outcome == .invalid && result.httpStatus == 404)
        (result, _) = try await run(spec) { _ in .redirect(302, to: "/elsewhere") }
        #expect(result.outcome == .unreachable && result.error?.contains("redirects") == true)  // a loop: over 10
        let (falsy, _) = try await run(#"{"communication": {"url": "BASE/me", "response": {"valid": "{{body.active}}"}}}"#) { _ in
            .json(#"{"active": false}"#)
        }
        #expect(falsy.outcome == .invalid && falsy.error == "Response marked as invalid.")
    }

    @Test func noUsableResponseIsUnreachable() async throws {
        let jsonSpec = #"{"communication": {"url": "BASE/me", "response": {"type": "json"}}}"#
        var (result, _) = try await run(jsonSpec) { _ in .text("<html>not json") }
        #expect(result.outcome == .unreachable && result.error?.contains("json") == true && result.httpStatus == 200)
        (result, _) = try await run(#"{"communication": {"url": "BASE/me"}}"#, { _ in .text("x").with(.hang) },
                                    executor: Fixtures.executor(requestTimeout: .milliseconds(300)))
        #expect(result.outcome == .unreachable && result.httpStatus == nil)
        (result, _) = try await run(#"{"communication": {"url": "BASE/me"}}"#, { _ in ScriptedResponse().with(.stream(bytes: 1 << 20)) },
                                    executor: Fixtures.executor(maxResponseBytes: 1000))
        #expect(result.outcome == .unreachable && result.error?.contains("cap of 1000") == true)
        let closed = await Fixtures.executor().run(
            try Fixtures.spec(#"{"communication": {"url": "http://127.0.0.1:9/me"}}"#, server: try ScriptedHTTPServer { _ in .text("") }),
            parameters: [:], common: [:])
        #expect(closed.outcome == .unreachable)
    }

    @Test func urlsBreakingTheHTTPRulesAreInvalidAndNeverRequested() async throws {
        let spec = #"{"communication": {"url": "{{parameters.scheme}}://example.com/x"}}"#
        for scheme in ["ftp", "file", "http"] {
            let (result, server) = try await run(spec, { _ in .text("") }, parameters: ["scheme": .string(scheme)])
            #expect(result.outcome == .invalid && result.httpStatus == nil, "\(scheme)")
            #expect(server.requests.isEmpty)
        }
    }

    @Test func templateRuntimeErrorsAreInvalid() async throws {
        let (result, server) = try await run(#"{"communication": {"url": "BASE/me", "headers": {"{{...}}": "{{5}}"}}}"#) { _ in .text("") }
        #expect(result.outcome == .invalid && result.error?.contains("E_SPREAD") == true)
        #expect(server.requests.isEmpty)
    }

    /// The `error` template only words a failure: a response that succeeds never evaluates it, so an error in it
    /// cannot fail a valid run (before, every response evaluated it).
    @Test func theErrorTemplateIsEvaluatedOnlyForFailingResponses() async throws {
        // A computed encoding name the function does not know is a runtime error (E_ENCODING).
        let spec = #"""
            {"communication": {"url": "BASE/me", "response": {"valid": "{{body.ok}}",
              "error": {"message": "{{toString(toBinary('x', 'no-such-' + 'encoding'))}}"}}}}
            """#
        var (result, _) = try await run(spec) { _ in .json(#"{"ok": true}"#) }
        #expect(result.outcome == .valid)
        (result, _) = try await run(spec) { _ in .json(#"{"ok": false}"#) }
        #expect(result.outcome == .invalid && result.error?.contains("E_ENCODING") == true)
        (result, _) = try await run(spec) { _ in .json("{}", status: 401) }
        #expect(result.outcome == .invalid && result.error?.contains("E_ENCODING") == true)
    }

    @Test func requiredParametersMissingAreNeedsInput() async throws {
        let (result, server) = try await run(Fixtures.whoami) { _ in .json("{}") }
        #expect(result.outcome == .needsInput && result.error?.contains("apiKey") == true && server.requests.isEmpty)
    }
}
