import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Requests and responses")
struct RequestAndResponseTests {
    func run(_ spec: String, parameters: Object = [:], _ respond: @escaping ScriptedHTTPServer.Handler) async throws
        -> (FlowResult, [RecordedRequest])
    {
        let server = try ScriptedHTTPServer(respond)
        let result = await Fixtures.executor().run(try Fixtures.spec(spec, server: server), parameters: parameters, common: [:])
        return (result, server.requests)
    }

    @Test func queryStringsAreAppendedWithMakesRules() async throws {
        let (result, requests) = try await run("""
            {"communication": {"url": "BASE/search?key=abc&", "encodeUrl": true,
              "qs": {"q": "a b&c", "none": "{{undefined}}", "empty": null, "n": 5, "t": true, "list": [1, null, "x"],
                     "obj": {"k": "v"}}}}
            """) { _ in .json("{}") }
        #expect(result.outcome == .valid)
        #expect(requests[0].target == "/search?key=abc&q=a%20b%26c&empty=&n=5&t=true&list=1&list=x&obj=%7B%22k%22%3A%22v%22%7D")
    }

    @Test func headersAreCapitalisedAndDroppedWhenUndefinedOrNull() async throws {
        let (_, requests) = try await run("""
            {"communication": {"url": "BASE/h", "method": "post", "type": "urlencoded",
              "headers": {"x-api-key": "k", "x-none": "{{undefined}}", "x-null": null, "ACCEPT": "application/json"},
              "body": {"a": "1 2", "b": ["x", "y"], "c": "{{undefined}}"}}}
            """) { _ in .json("{}") }
        let request = try #require(requests.first)
        #expect(request.method == "POST")
        #expect(request.headers.contains { $0.name == "X-Api-Key" && $0.value == "k" })
        #expect(request.headers.contains { $0.name == "Accept" })
        #expect(request.header("X-None") == nil && request.header("X-Null") == nil)
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(request.bodyText == "a=1%202&b=x&b=y")
    }

    @Test func bodyTypes() async throws {
        var (_, requests) = try await run(#"{"communication": {"url": "BASE/t", "method": "PUT", "type": "text", "body": "hello {{1+1}}"}}"#) { _ in .json("{}") }
        #expect(requests[0].bodyText == "hello 2" && requests[0].header("Content-Type")?.hasPrefix("text/plain") == true)
        (_, requests) = try await run(#"{"communication": {"url": "BASE/m", "method": "POST", "type": "multipart/form-data", "body": {"name": "jane", "n": 3}}}"#) { _ in .json("{}") }
        let contentType = try #require(requests[0].header("Content-Type"))
        #expect(contentType.hasPrefix("multipart/form-data; boundary="))
        #expect(requests[0].bodyText.contains("Content-Disposition: form-data; name=\"name\"\r\n\r\njane\r\n"))
        (_, requests) = try await run(#"{"communication": {"url": "BASE/j", "method": "POST", "headers": {"content-type": "application/vnd+json"}, "body": {"a": [1, "{{2}}"]}}}"#) { _ in .json("{}") }
        #expect(requests[0].bodyText == #"{"a":[1,2]}"# && requests[0].header("Content-Type") == "application/vnd+json")
    }

    @Test func responseTypesAndHeaders() async throws {
        var (result, _) = try await run("""
            {"communication": {"url": "BASE/x",
              "response": {"uid": "{{body.user[1]._attributes.id}}", "metadata": {"value": "{{body.user[1].name[1]._value}}"},
                           "data": {"server": "{{headers.`X-Server`}}", "cookies": "{{headers.`set-cookie`}}"}}}}
            """) { _ in
            ScriptedResponse(headers: [("Content-Type", "application/xml"), ("x-server", "a"), ("X-Server", "b"),
                                       ("Set-Cookie", "s=1"), ("Set-Cookie", "t=2")],
                             body: Array(#"<?xml version="1.0"?><user id="7"><name>Jane</name></user>"#.utf8))
        }
        #expect(result.outcome == .valid, "\(result.error ?? "")")
        #expect(result.verified?.uid == "7" && result.verified?.metadata?.value == "Jane")
        #expect(result.verified?.data["server"] == "a, b" && result.verified?.data["cookies"] == ["s=1", "t=2"])

        (result, _) = try await run("""
            {"communication": {"url": "BASE/x", "response": {"type": {"*": "text", "200-299": "urlencoded", "200": "json"},
              "data": {"v": "{{body.v}}"}}}}
            """) { _ in .text(#"{"v": 1}"#) }
        #expect(result.verified?.data["v"] == 1)  // the narrowest pattern, "200", parses it as JSON

        (result, _) = try await run(#"{"communication": {"url": "BASE/x", "response": {"data": {"e": "{{body}}", "s": "{{statusCode}}"}}}}"#) { _ in
            ScriptedResponse(status: 204)
        }
        #expect(result.verified?.data["e"] == nil && result.verified?.data["s"] == 204)
    }

    @Test func tempConditionAndDataMergeAcrossRequests() async throws {
        let (result, requests) = try await run("""
            {"communication": [
              {"url": "BASE/one", "temp": {"n": 1},
               "response": {"temp": {"token": "{{body.token}}", "n": "{{temp.n + 1}}"}, "data": {"a": "{{temp.n}}", "b": "first"}}},
              {"url": "BASE/skipped", "condition": "{{temp.n > 5}}"},
              {"url": "BASE/two", "condition": {"condition": "{{temp.n == 2}}", "default": null},
               "headers": {"authorization": "Bearer {{temp.token}}"},
               "response": {"data": {"b": "second", "apiKey": "{{undefined}}"}, "expires": 3600}}],
             "parameters": [{"name": "apiKey", "type": "password"}]}
            """, parameters: ["apiKey": "k"]) { request in
            .json(request.path == "/one" ? #"{"token": "t1"}"# : "{}")
        }
        #expect(result.outcome == .valid, "\(result.error ?? "")")
        #expect(requests.map(\.path) == ["/one", "/two"])
        #expect(requests[1].header("Authorization") == "Bearer t1")
        let state = try #require(result.verified)
        #expect(Value.object(state.data) == ["a": 2, "b": "second"] && state.parameters.isEmpty)
        #expect(abs((state.expiresAt ?? .distantPast).timeIntervalSinceNow - 3600) < 60)
    }
}

extension RequestAndResponseTests {
    @Test func gzipResponsesAreDecodedAndTheCapAppliesToDecodedBytes() async throws {
        let body = Gzip.compress(Array(#"{"id": "z-1"}"#.utf8))
        let (result, requests) = try await run(#"{"communication": {"url": "BASE/z", "gzip": true, "response": {"uid": "{{body.id}}"}}}"#) { _ in
            ScriptedResponse(headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")], body: body)
        }
        #expect(result.outcome == .valid && result.verified?.uid == "z-1", "\(result.error ?? "")")
        #expect(requests[0].header("Accept-Encoding")?.contains("gzip") == true)

        let bomb = Gzip.zeros(count: 64 << 20)  // 64 MiB of zeros in about 400 KiB
        let server = try ScriptedHTTPServer { _ in
            ScriptedResponse(headers: [("Content-Type", "text/plain"), ("Content-Encoding", "gzip")], body: bomb)
        }
        let spec = try Fixtures.spec(#"{"communication": {"url": "BASE/bomb", "gzip": true}}"#, server: server)
        let exploded = await Fixtures.executor(maxResponseBytes: 1 << 20).run(spec, parameters: [:], common: [:])
        #expect(exploded.outcome == .unreachable && exploded.error?.contains("cap of 1 MiB") == true)
    }
}
