import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

/// Every corpus spec, imported as written and run end to end against a scripted server standing in for its
/// service (the spec's scheme and host, templated or not, are pointed at the loopback server).
@Suite("Corpus specs run end to end")
struct CorpusRunTests {
    /// One body that satisfies every corpus spec's templates and `valid` conditions.
    static let body = """
        {"email": "jane@example.com", "userId": 42, "userName": "jane", "username": "jane", "signature": "sig-1",
         "accessToken": "tok-1", "organizations": [{"id": "org-1", "is_default": true}],
         "data": [{"displayName": "Jane"}], "user": {"email": "jane@example.com"}}
        """

    /// The spec text with every `http(s)://host` pointed at `base`.
    static func pointed(_ text: String, at base: String) throws -> String {
        let expression = try NSRegularExpression(pattern: #"https?://[^/"?]*"#)
        return expression.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: NSRegularExpression.escapedTemplate(for: base))
    }

    static func parameters(for spec: ConnectionSpec) -> Object {
        var parameters: Object = [
            "username": "jane", "password": "CANARY-corpus-pw", "apiSecret": "CANARY-corpus-secret",
            "clientId": "client-1", "clientSecret": "CANARY-corpus-client",
        ]
        for parameter in spec.parameters {
            parameters[parameter.name] = .string(parameter.isSecret ? "CANARY-corpus-\(parameter.name)" : "value-\(parameter.name)")
        }
        return parameters
    }

    static func run(_ path: String) async throws {
        let server = try ScriptedHTTPServer { _ in .json(body) }
        let original = try #require(try SpecLoader.load(path: path).specs.first)
        let pointedJSON = try pointed(original.communication.compactJSON(), at: server.baseURL)
        let communication = try Value(parsingJSON: Array(pointedJSON.utf8))
        let spec = try ConnectionSpec.check(
            name: original.name, label: original.label, communication: communication,
            parameters: original.parametersValue, common: .object(original.common), source: path)
        let result = await Fixtures.executor().run(spec, parameters: parameters(for: spec), common: original.common)
        #expect(result.outcome == .valid, "\(original.name): \(result.error ?? "")")
        let requestCount = communication.arrayValue?.count ?? 1
        #expect(server.requests.count == requestCount, "\(original.name)")
        let originalPaths = try (original.communication.arrayValue ?? [original.communication]).compactMap { request in
            try request["url"]?.stringValue.map { url in
                String(try pointed(url, at: "").prefix { $0 != "?" })
            }
        }
        #expect(server.requests.map(\.path) == originalPaths, "\(original.name)")
        let shown = (result.error ?? "") + result.log.map { $0.compactJSON() }.joined()
        for parameter in spec.parameters where parameter.isSecret {
            #expect(!shown.contains("CANARY-corpus-\(parameter.name)"), "\(original.name) leaked \(parameter.name)")
        }
    }

    @Test(arguments: Corpus.jsonFiles)
    func jsonSpec(_ file: String) async throws {
        try await Self.run(Corpus.folder + "/" + file)
    }

    @Test(arguments: Corpus.rawFolders)
    func rawLayout(_ folder: String) async throws {
        try await Self.run(Corpus.folder + "/raw/" + folder)
    }
}
