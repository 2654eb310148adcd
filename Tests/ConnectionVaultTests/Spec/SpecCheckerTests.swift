import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Spec checking at import")
struct SpecCheckerTests {
    func problems(_ json: String) throws -> [SpecProblem] {
        let directory = TemporaryDirectory()
        let file = directory.file("bad.json")
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        do {
            _ = try SpecLoader.load(path: file)
            return []
        } catch {
            #expect(error.source == file)
            return error.problems
        }
    }

    @Test func everyProblemIsReportedTogetherWithItsPathAndColumn() throws {
        let found = try problems("""
            {
              "label": "Broken",
              "surprise": 1,
              "communication": [
                {"url": "https://a.test", "headers": {"authorization": "Basic {{bas64(parameters.user)}}"}},
                {"method": "POST", "gzip": "yes", "pagination": {}, "rejectUnauthorized": false,
                 "response": {"metadata": {"value": "{{body.name", "type": "phone"}, "iterate": "{{body}}",
                              "valid": {"condition": "{{statusCode == 200}}", "type": "OopsError"},
                              "error": {"404": {"message": "{{}}"}}, "type": {"2xx": "json"}, "wrapper": {}}}
              ],
              "parameters": [{"name": "user", "type": "text"}, {"type": "password"}, {"name": "n", "type": "float"}]
            }
            """)
        let paths = found.map(\.path)
        let expected = [
            "surprise", "communication[0].headers.authorization", "communication[1].url", "communication[1].gzip",
            "communication[1].pagination", "communication[1].rejectUnauthorized",
            "communication[1].response.metadata.type", "communication[1].response.iterate",
            "communication[1].response.valid.type", "communication[1].response.error.404.message",
            "communication[1].response.type.2xx", "communication[1].response.wrapper", "parameters[1].name",
            "parameters[2].type",
        ]
        for path in expected { #expect(paths.contains(path), "no problem reported at \(path): \(paths)") }
        let unknownFunction = try #require(found.first { $0.path == "communication[0].headers.authorization" })
        #expect(unknownFunction.column == 9 && unknownFunction.message.contains("E_UNKNOWN_FUNCTION"))
        #expect(found.first { $0.path == "communication[1].pagination" }?.message.contains("not allowed in a basic connection") == true)
        #expect(found.first { $0.path == "communication[1].response.iterate" }?.message.contains("not allowed") == true)
        #expect(found.first { $0.path == "communication[1].response.error.404.message" }?.message.contains("E_EMPTY_TAG") == true)
    }

    @Test func aGoodSpecHasNoProblemsAndKeepsWarnings() throws {
        let directory = TemporaryDirectory()
        let file = directory.file("good.json")
        try """
            {"name": "acme", "label": "Acme", "_source": "ignored",
             "communication": {"url": "https://a.test/me", "repeat": {}, "condition": {"condition": "{{true}}", "default": false},
               "log": {"sanitize": ["request.headers.x-api-key", "response.body.`a.b`"]},
               "auth": {"type": "digest", "username": "{{parameters.u}}", "password": "{{parameters.p}}"},
               "response": {"type": {"*": "json", "400-499": "text"}, "valid": {"condition": "{{body.ok}}", "message": "no", "type": "DataError"},
                            "error": {"message": "{{body.error}}", "type": "{{if(statusCode = 429, 'RateLimitError', 'RuntimeError')}}",
                                      "401": {"message": "bad key", "type": "InvalidAccessTokenError"}},
                            "expires": "{{addHours(now, 1)}}", "uid": "{{body.id}}"}},
             "parameters": [{"name": "u", "type": "text", "required": true, "validate": {"min": 1}},
                            {"name": "p", "type": "password", "editable": false},
                            {"name": "region", "type": "select", "options": [{"label": "EU", "value": "eu"}, "us"]}],
             "common": {"salt": "s"}}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let spec = try #require(try SpecLoader.load(path: file).specs.first)
        #expect(spec.name == "acme" && spec.label == "Acme")
        #expect(spec.warnings.map(\.path) == ["communication.repeat"])
        #expect(spec.parameters.map(\.name) == ["u", "p", "region"])
        #expect(spec.parameter(named: "region")?.options == ["eu", "us"])
        #expect(spec.parameter(named: "p")?.editable == false)
    }

    @Test func malformedJSONNamesTheOffset() throws {
        let found = try problems(#"{"communication": {"url": "https://a.test"},, }"#)
        #expect(found.count == 1 && found[0].message.contains("byte"))
        #expect(try problems(#"[1, 2]"#).first?.message.contains("object") == true)
        #expect(try problems(#"{"label": "x"}"#).first?.path == "communication")
    }
}

extension SpecCheckerTests {
    @Test func literalURLsMustObeyTheHTTPRulesAtImport() throws {
        for url in ["file:///etc/passwd", "ftp://example.com/x", "http://example.com/x", "gopher://x", "not a url"] {
            let found = try problems(#"{"communication": {"url": "\#(url)"}}"#)
            #expect(found.map(\.path) == ["communication.url"], "\(url)")
            #expect(found.first?.message.contains("HTTP rules") == true)
        }
        for url in ["https://example.com/x", "http://localhost:8080/x", "http://127.0.0.1/x", "http://[::1]/x",
                    "{{parameters.base}}/x"] {
            #expect(try problems(#"{"communication": {"url": "\#(url)"}}"#).isEmpty, "\(url)")
        }
    }

    /// The URL rules are an import-time check and a send-time check, not a rebuild-time one: rebuilding a stored
    /// spec needs no URL parser (so a revalidation's loads never wait for libcurl), and the request is still refused.
    @Test func storedSpecsAreRebuiltWithoutJudgingURLsWhichEachRequestJudgesBeforeSending() async throws {
        for url in ["ftp://example.com/x", "http://example.com/x", "not a url"] {
            let stored: Value = ["communication": ["url": .string(url)], "parameters": []]
            let imported = #expect(throws: SpecError.self) {
                try ConnectionSpec.check(
                    name: "t", label: nil, communication: stored["communication"], parameters: stored["parameters"],
                    common: nil, source: "t.json")
            }
            #expect(imported?.problems.map(\.path) == ["communication.url"], "\(url)")
            let spec = try ConnectionSpec(stored: stored, name: "t", label: "T")
            let run = await Fixtures.executor().run(spec, parameters: [:], common: [:])
            #expect(run.outcome == .invalid && run.httpStatus == nil, "\(url)")
            #expect(run.error?.contains("URL refused") == true, "\(url): \(run.error ?? "")")
        }
    }

    /// Every way a spec gets into the vault checks it, URL rules included, since a stored spec is rebuilt without
    /// judging its URLs: the library's `importType` and an archive's types (here altered in the source vault's
    /// file) are refused with the problem's path, and nothing is stored.
    @Test func specsStoredThroughTheLibraryOrAnArchiveAreCheckedFirst() throws {
        let bad: Value = ["communication": ["url": "ftp://example.com/x"], "parameters": []]
        let target = try TestVault()
        let raw = RawDatabase(path: target.path)
        let before = raw.logicalDump()
        let refused = #expect(throws: SpecError.self) { try target.vault.importType(name: "t", label: "T", spec: bad) }
        #expect(refused?.problems.map(\.path) == ["communication.url"])
        #expect(raw.logicalDump() == before)

        let source = try TestVault()
        try source.importAPIKeyType()
        _ = try RawDatabase(path: source.path).attempt(
            "UPDATE connection_types SET spec_json = ? WHERE name = 'acme-apikey'", [bad.compactJSON()])
        let archive = source.directory.file("bad.cva")
        let passphrase = SecureBytes(copying: Array("archive pass".utf8))
        try source.vault.exportArchive(to: archive, passphrase: passphrase, hardness: .interactive)
        let fromArchive = #expect(throws: SpecError.self) {
            try target.vault.importArchive(from: archive, passphrase: passphrase)
        }
        #expect(fromArchive?.problems.map(\.path) == ["communication.url"])
        #expect(fromArchive?.source.contains("acme-apikey") == true)
        #expect(raw.logicalDump() == before)
    }

    @Test func rejectUnauthorizedFalseIsRefused() throws {
        let found = try problems(#"{"communication": {"url": "https://a.test", "rejectUnauthorized": false}}"#)
        #expect(found.first?.message.contains("certificate checks cannot be turned off") == true)
        #expect(try problems(#"{"communication": {"url": "https://a.test", "rejectUnauthorized": true}}"#).isEmpty)
    }
}

extension SpecCheckerTests {
    @Test func templateLintWarningsAreReportedWithoutRefusingTheSpec() throws {
        let directory = TemporaryDirectory()
        let file = directory.file("lint.json")
        try #"{"communication": {"url": "https://a.test", "headers": {"x-user": "{{connection.user}}"}}}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let spec = try #require(try SpecLoader.load(path: file).specs.first)
        #expect(spec.warnings.contains { $0.path == "communication.headers.x-user" && $0.message.contains("connection") })
    }
}
