@testable import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

/// Replays the spec fuzzer's seeds and every input kept in `Fuzz/spec-regressions` through the properties of
/// `Fuzz/SpecFuzzTarget.swift`, so that anything the fuzzer once found stays fixed.
@Suite("Spec fuzz replay")
struct SpecFuzzReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let inputs: [URL] = ["Fuzz/spec-seeds", "Fuzz/spec-regressions", "examples/specs"].flatMap { folder -> [URL] in
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// Answers every request with the fuzz target's canned response.
    struct CannedClient: HTTPClient {
        func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
            let body = #"{"id": 7, "name": "Ada", "token": "t-1", "expires_in": 3600, "items": [{"a": 1}], "ok": true}"#
            return HTTPResponse(
                status: 200, headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Set-Cookie", "s=1")],
                body: Array(body.utf8), url: "https://api.example.com/whoami", redirectCount: 0)
        }
    }

    @Test func inputsArePresent() {
        #expect(Self.inputs.count >= 7)
    }

    @Test(arguments: inputs)
    func replay(_ file: URL) async throws {
        let text = try [UInt8](Data(contentsOf: file))
        let accepted: ConnectionSpec?
        do { accepted = try SpecLoader.check(text: text, source: "fuzz.json") } catch {
            #expect(!error.problems.isEmpty, "a refused spec names no problem")
            accepted = nil
        }
        if let spec = accepted {
            // Stored as compact JSON, read back as `revalidate` reads it, compiled and run.
            let stored = try Value(parsingJSON: Array(spec.storedSpec.compactJSON().utf8))
            let reread = try ConnectionSpec(stored: stored, name: spec.name, label: spec.label)
            #expect(reread.parameters == spec.parameters)
            _ = try CompiledFlow(spec)
            var parameters = Object()
            for parameter in spec.parameters { parameters[parameter.name] = .string("p-\(parameter.name)") }
            let executor = Executor(configuration: Executor.Configuration(), client: CannedClient())
            let result = await executor.run(
                spec, parameters: parameters, common: ["clientSecret": "common-secret"],
                now: Date(timeIntervalSince1970: 1_482_940_986))
            #expect((result.outcome == .valid) == (result.verified != nil))
        }
        if case .object(let document)? = try? Value(parsingJSONC: text), case .object(let given)? = document["_params"],
            let spec = accepted
        {
            do {
                let validated = try ParameterValidator.validate(given, against: spec)
                _ = try? ParameterValidator.validateUpdate(given, stored: validated, against: spec)
            } catch {
                #expect(!error.problems.isEmpty)
            }
        }
    }
}
