import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Spec loading")
struct SpecLoaderTests {
    @Test func theCorpusIsThere() {
        #expect(Corpus.jsonFiles.count >= 17)
        #expect(Corpus.rawFolders.count >= 10)
    }

    @Test(arguments: Corpus.jsonFiles)
    func everyCorpusFileImportsCleanly(_ file: String) throws {
        let loaded = try SpecLoader.load(path: Corpus.folder + "/" + file)
        #expect(loaded.specs.count == 1 && loaded.skipped.isEmpty)
        let spec = try #require(loaded.specs.first)
        #expect(spec.name == String(file.dropLast(".json".count)))
        #expect(spec.label == spec.name)
        #expect(spec.storedSpec["common"] == nil)
    }

    @Test(arguments: Corpus.rawFolders)
    func everyRawLayoutImportsCleanlyAndMatchesItsJoinedFile(_ folder: String) throws {
        let loaded = try SpecLoader.load(path: Corpus.folder + "/raw/" + folder)
        let spec = try #require(loaded.specs.first)
        #expect(spec.name == folder)
        let joined = try SpecLoader.load(path: Corpus.folder + "/" + folder + ".json").specs[0]
        #expect(spec.communication == joined.communication)
        #expect(spec.parameters == joined.parameters)
        #expect(Value.object(spec.common) == Value.object(joined.common))
    }

    @Test func aMakeAppCheckoutWithLabelsAndASkippedOAuthConnection() throws {
        let app = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: app.file("src/connections/acme"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: app.file("src/connections/acme2"), withIntermediateDirectories: true)
        try """
        // a comment, and trailing commas
        {"fileVersion": 1, "components": {"connection": {
            "acme": {"label": "Acme (API key)", "connectionType": "basic",},
            "acme2": {"label": "Acme OAuth", "connectionType": "oauth"},
        }}}
        """.write(toFile: app.file("makecomapp.json"), atomically: true, encoding: .utf8)
        try #"{"url": "https://api.acme.test/me", "headers": {"x-api-key": "{{parameters.apiKey}}"},}"#
            .write(toFile: app.file("src/connections/acme/acme.communication.iml.json"), atomically: true, encoding: .utf8)
        try "null".write(toFile: app.file("src/connections/acme/acme.params.iml.json"), atomically: true, encoding: .utf8)
        try #"{"salt": "s"}"#.write(toFile: app.file("src/connections/acme/acme.common.json"), atomically: true, encoding: .utf8)
        let loaded = try SpecLoader.load(path: app.path)
        #expect(loaded.specs.map(\.name) == ["acme"] && loaded.skipped == ["acme2"])
        #expect(loaded.specs[0].label == "Acme (API key)" && loaded.specs[0].parameters.isEmpty)
        #expect(Value.object(loaded.specs[0].common) == ["salt": "s"])
    }

    @Test func aConnectionFolderWithClassicNames() throws {
        let folder = TemporaryDirectory("my_conn")
        try #"{"url": "https://x.test", "response": {"uid": "{{body.id}}"}}"#
            .write(toFile: folder.file("api.imljson"), atomically: true, encoding: .utf8)
        try #"[{"name": "apiKey", "type": "password", "required": true}]"#
            .write(toFile: folder.file("parameters.imljson"), atomically: true, encoding: .utf8)
        let spec = try #require(try SpecLoader.load(path: folder.path).specs.first)
        #expect(spec.parameters.map(\.name) == ["apiKey"] && spec.parameters[0].isSecret && spec.parameters[0].required)
    }
}
