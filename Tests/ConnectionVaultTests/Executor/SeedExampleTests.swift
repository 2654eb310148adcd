import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("The seed's three examples, end to end")
struct SeedExampleTests {
    @Test func whoamiWithAnAPIKey() async throws {
        let server = try ScriptedHTTPServer { request in
            guard request.path == "/api/whoami", request.header("X-Api-Key") == "key-123" else {
                return .json(#"{"error":"bad key"}"#, status: 401)
            }
            return .json(#"{"userId": 9007199254740993, "userName": "jane"}"#)
        }
        let spec = try Fixtures.spec(Fixtures.whoami, server: server)
        let result = await Fixtures.executor().run(spec, parameters: ["apiKey": "key-123"], common: [:])
        #expect(result.outcome == .valid && result.httpStatus == 200 && result.error == nil)
        let state = try #require(result.verified)
        #expect(Value.object(state.data).compactJSON() == #"{"apiKey":"key-123","userId":9007199254740993,"userName":"jane"}"#)
        #expect(state.metadata == Metadata(type: .text, value: "jane") && state.uid == "9007199254740993")
        #expect(server.requests.count == 1 && server.requests[0].method == "GET")
        #expect(server.requests[0].headers.contains { $0.name == "X-Api-Key" })
        #expect(server.requests[0].body.isEmpty)  // a GET sends no body even when the spec writes one

        let wrong = await Fixtures.executor().run(spec, parameters: ["apiKey": "nope"], common: [:])
        #expect(wrong.outcome == .invalid && wrong.httpStatus == 401 && wrong.verified == nil)
    }

    @Test func singleRequestLogin() async throws {
        let server = try ScriptedHTTPServer { request in
            guard let body = try? Value(parsingJSON: request.body), body["username"] == "jane", body["password"] == "pw",
                request.header("Content-Type") == "application/json"
            else { return .json(#"{"message":"no"}"#, status: 403) }
            return .json(#"{"accessToken": "tok-1", "username": "jane", "userId": "u-1"}"#)
        }
        let spec = try Fixtures.spec(Fixtures.singleLogin, server: server)
        let result = await Fixtures.executor().run(spec, parameters: ["username": "jane", "password": "pw"], common: [:])
        #expect(result.outcome == .valid, "\(result.error ?? "")")
        #expect(result.verified?.data["token"] == "tok-1" && result.verified?.uid == "u-1")
        #expect(server.requests.first?.method == "POST")
    }

    @Test func twoStageLoginDeletesThePasswordAfterUse() async throws {
        let server = try ScriptedHTTPServer { request in
            switch request.path {
            case "/api/login/sign":
                guard request.query == "username=jane&apiSecret=s%20e%2Fcret" else { return .json("{}", status: 400) }
                return .json(#"{"signature": "sig-1", "userId": 77, "username": "jane"}"#)
            default:
                guard let body = try? Value(parsingJSON: request.body), body["signature"] == "sig-1",
                    body["password"] == "pw"
                else { return .json(#"{"message":"bad signature"}"#, status: 401) }
                return .json(#"{"accessToken": "tok-2"}"#)
            }
        }
        let spec = try Fixtures.spec(Fixtures.twoStageLogin, server: server)
        let parameters: Object = ["username": "jane", "apiSecret": "s e/cret", "password": "pw"]
        let result = await Fixtures.executor().run(spec, parameters: parameters, common: [:])
        #expect(result.outcome == .valid, "\(result.error ?? "")")
        let state = try #require(result.verified)
        #expect(state.parameters["password"] == nil && state.data["password"] == nil)
        #expect(state.data["token"] == "tok-2" && state.uid == "77" && state.metadata?.value == "jane")

        // Later runs lack the password: needs-input, decided before any request.
        let before = server.requests.count
        let again = await Fixtures.executor().run(spec, parameters: state.parameters, common: [:], data: state.data,
                                                  isStored: true)
        #expect(again.outcome == .needsInput && again.error?.contains("password") == true)
        #expect(server.requests.count == before && again.httpStatus == nil)
    }
}
