import Foundation
import Testing

@testable import IML

/// Replays the fuzzer's seeds and every input kept in `Fuzz/regressions` through the same four modes as
/// `Fuzz/FuzzTarget.swift`, so that anything the fuzzer once found stays fixed.
@Suite("Fuzz replay")
struct FuzzReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let inputs: [URL] = ["Fuzz/seeds", "Fuzz/regressions"].flatMap { folder -> [URL] in
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
    }

    static let context = EvaluationContext(
        variables: [
            "parameters": ["username": "user", "password": "pa:ss", "d": "2016-12-28T16:03:06.000Z"],
            "body": ["text": "Hello 😀 Wörld", "obj": ["a": 1], "users": [["name": "Ann"], ["name": "bob"]]],
            "temp": ["claims": ["sub": "123"]],
        ],
        now: Eval.clock, timeZone: "Europe/Prague", randomSource: .seeded(7))

    @Test func inputsArePresent() {
        #expect(Self.inputs.count >= 8)
    }

    @Test(arguments: inputs)
    func replay(_ file: URL) throws {
        let bytes = try [UInt8](Data(contentsOf: file))
        guard let mode = bytes.first else { return }
        let payload = Array(bytes.dropFirst())
        switch mode % 4 {
        case 0:
            let text = String(decoding: payload, as: UTF8.self)
            _ = Template.warnings(in: text)
            if let template = try? Template(text) {
                _ = try? template.evaluate(in: Self.context).compactJSON()
            } else {
                #expect(!Template.problems(in: text).isEmpty)
            }
        case 1:
            let text = "{{" + String(decoding: payload, as: UTF8.self) + "}}"
            if let template = try? Template(text) { _ = try? template.evaluate(in: Self.context).compactJSON() }
        case 2:
            if let value = try? Value(parsingJSON: payload) {
                let text = value.compactJSON()
                #expect(try Value(parsingJSON: text).compactJSON() == text)
            }
        default:
            if let value = try? Value(parsingJSONC: payload) {
                _ = CompiledDocument.warnings(in: value)
                if let document = try? CompiledDocument(value) { _ = try? document.evaluate(in: Self.context) }
            }
        }
    }
}
