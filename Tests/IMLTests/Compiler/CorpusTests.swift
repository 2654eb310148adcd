import Foundation
import Testing

@testable import IML

/// Every real connection spec of the corpus compiles without errors (read in place, never copied).
@Suite("Corpus specs")
struct CorpusTests {
    static let files: [URL] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: SpecFiles.corpus.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { SpecFiles.corpus.appendingPathComponent($0) }
    }()

    @Test func corpusIsPresent() {
        #expect(Self.files.count >= 15)
    }

    @Test(arguments: files)
    func compiles(_ file: URL) throws {
        let bytes = try [UInt8](Data(contentsOf: file))
        let spec = try Value(parsingJSONC: bytes)
        let object = try #require(spec.objectValue)
        for (key, part) in object where !key.hasPrefix("_") {
            let problems = CompiledDocument.problems(in: part, location: key)
            #expect(problems.isEmpty, "\(problems)")
            _ = try CompiledDocument(part, location: key)
        }
    }

    /// The upstream files with comments and trailing commas parse as JSONC.
    @Test func rawFilesParseAsJSONC() throws {
        let raw = SpecFiles.corpus.appendingPathComponent("raw")
        guard let enumerator = FileManager.default.enumerator(atPath: raw.path) else { return }
        var count = 0
        for case let path as String in enumerator where path.hasSuffix(".json") {
            let bytes = try [UInt8](Data(contentsOf: raw.appendingPathComponent(path)))
            let value = try Value(parsingJSONC: bytes)
            #expect(CompiledDocument.problems(in: value).isEmpty, "\(path)")
            count += 1
        }
        #expect(count > 0)
    }

    /// The seed page's JSON examples compile.
    @Test func seedExamplesCompile() throws {
        let text = try SpecFiles.text(SpecFiles.seed)
        let blocks = text.components(separatedBy: "```json").dropFirst().compactMap {
            $0.components(separatedBy: "```").first
        }
        #expect(blocks.count >= 4)
        for block in blocks {
            let value = try Value(parsingJSONC: block)
            #expect(CompiledDocument.problems(in: value).isEmpty)
        }
    }
}
