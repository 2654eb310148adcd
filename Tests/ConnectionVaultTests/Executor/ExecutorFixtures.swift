import ConnectionVault
import Foundation
import IML
import TestSupport

/// Specs and executors for executor tests.
enum Fixtures {
    /// An executor with short timeouts for tests.
    static func executor(requestTimeout: Duration = .seconds(5), maxResponseBytes: Int = 8 << 20) -> Executor {
        var configuration = Executor.Configuration()
        configuration.connectTimeout = .seconds(2)
        configuration.requestTimeout = requestTimeout
        configuration.maxResponseBytes = maxResponseBytes
        return Executor(configuration: configuration)
    }

    /// Runs the spec `json` (`BASE`: the server's base URL) and returns its error and log as one text, to search for
    /// secrets.
    static func errorAndLog(
        _ json: String, server: ScriptedHTTPServer, parameters: Object, common: Object = Object()
    ) async throws -> String {
        let result = await executor().run(try spec(json, server: server), parameters: parameters, common: common)
        return (result.error ?? "") + "\n" + result.log.map { $0.compactJSON() }.joined(separator: "\n")
    }

    /// A spec from JSON text with `BASE` replaced by the server's base URL.
    static func spec(_ json: String, server: ScriptedHTTPServer, name: String = "test") throws -> ConnectionSpec {
        let text = json.replacingOccurrences(of: "BASE", with: server.baseURL)
        let value = try Value(parsingJSONC: Array(text.utf8))
        return try ConnectionSpec.check(
            name: name, label: value["label"]?.stringValue, communication: value["communication"],
            parameters: value["parameters"], common: value["common"], source: name)
    }

    /// The seed page's three examples, pointed at `BASE`.
    static let whoami = """
        {"communication": {"url": "BASE/api/whoami", "method": "GET", "qs": {}, "body": {},
           "headers": {"x-api-key": "{{parameters.apiKey}}"},
           "response": {"data": {"userId": "{{body.userId}}", "userName": "{{body.userName}}"},
                        "metadata": {"value": "{{body.userName}}", "type": "text"}, "uid": "{{body.userId}}"}},
         "parameters": [{"name": "apiKey", "type": "text", "label": "API Key", "required": true}]}
        """

    static let singleLogin = """
        {"communication": {"url": "BASE/api/login", "method": "POST",
           "body": {"username": "{{parameters.username}}", "password": "{{parameters.password}}"},
           "response": {"data": {"token": "{{body.accessToken}}"},
                        "metadata": {"value": "{{body.username}}", "type": "text"}, "uid": "{{body.userId}}"}},
         "parameters": [{"name": "username", "type": "text", "required": true},
                        {"name": "password", "type": "password", "required": true}]}
        """

    static let twoStageLogin = """
        {"communication": [
           {"url": "BASE/api/login/sign", "method": "GET",
            "qs": {"username": "{{parameters.username}}", "apiSecret": "{{parameters.apiSecret}}"},
            "response": {"temp": {"sign": "{{body.signature}}", "userId": "{{body.userId}}", "username": "{{body.username}}"}}},
           {"url": "BASE/api/login", "method": "POST",
            "body": {"signature": "{{temp.sign}}", "password": "{{parameters.password}}"},
            "response": {"data": {"token": "{{body.accessToken}}", "password": "{{undefined}}"},
                         "metadata": {"value": "{{temp.username}}", "type": "text"}, "uid": "{{temp.userId}}"}}],
         "parameters": [{"name": "username", "type": "text", "required": true},
                        {"name": "apiSecret", "type": "password", "required": true},
                        {"name": "password", "type": "password"}]}
        """
}
