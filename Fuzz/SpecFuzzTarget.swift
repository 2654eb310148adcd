// libFuzzer entry point for the spec importer. Built by `Fuzz/run spec` together with the ConnectionVault sources
// into one module (so internal API is reachable without @testable); IML is linked as its own module.
//
// The input is the text of a spec file (JSONC), exactly what `connvault types import FILE` reads. Properties:
// - the importer never crashes, and a refused spec names at least one problem (a clear error);
// - an accepted spec survives the vault's storage round trip (compact JSON, then `ConnectionSpec(stored:)`),
//   compiles for the executor, and runs to an outcome against a canned response without crashing;
// - an object under `_params` (ignored by the importer, like every `_` key) is validated as parameters
//   (`--params-file`) against the spec when it is accepted, else against a spec declaring every type.

import Dispatch
import Foundation
import IML

/// A transport that never touches the network: every request gets the same canned JSON response.
private struct CannedClient: HTTPClient {
    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let body = #"{"id": 7, "name": "Ada", "token": "t-1", "expires_in": 3600, "items": [{"a": 1}], "ok": true}"#
        return HTTPResponse(
            status: 200,
            headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Set-Cookie", "s=1")],
            body: Array(body.utf8), url: "https://api.example.com/whoami", redirectCount: 0)
    }
}

private let executor = Executor(configuration: Executor.Configuration(), client: CannedClient())

/// A spec that declares a parameter of every type, for `_params` when the fuzzed spec itself is refused.
private let everyTypeSpec: ConnectionSpec = {
    let text = #"""
        {"name": "every-type", "communication": {"url": "https://api.example.com/x"},
         "parameters": [
           {"name": "text", "type": "text", "required": true}, {"name": "secret", "type": "password"},
           {"name": "n", "type": "number", "validate": {"min": 1, "max": 10}}, {"name": "u", "type": "uinteger"},
           {"name": "i", "type": "integer"}, {"name": "b", "type": "boolean"}, {"name": "e", "type": "email"},
           {"name": "url", "type": "url"}, {"name": "d", "type": "date"}, {"name": "h", "type": "hidden"},
           {"name": "s", "type": "select", "options": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}]},
           {"name": "p", "type": "text", "validate": {"pattern": "^[a-z]+$", "max": 8}}]}
        """#
    do { return try SpecLoader.check(text: Array(text.utf8), source: "every-type.json") } catch {
        preconditionFailure("the fixed fuzz spec is refused: \(error)")
    }
}()

/// Runs `spec` once against the canned client, blocking until it ends.
private func runOnce(_ spec: ConnectionSpec, parameters: Object) -> FlowResult {
    let semaphore = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: FlowResult?
    Task.detached {
        result = await executor.run(
            spec, parameters: parameters, common: ["clientSecret": "common-secret"],
            now: Date(timeIntervalSince1970: 1_482_940_986))
        semaphore.signal()
    }
    semaphore.wait()
    return result!
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = Array(UnsafeBufferPointer(start: data, count: size))
    var accepted: ConnectionSpec?
    do {
        let spec = try SpecLoader.check(text: text, source: "fuzz.json")
        accepted = spec
        // What the vault stores, read back as `revalidate` reads it.
        let storedJSON = spec.storedSpec.compactJSON()
        guard let stored = try? Value(parsingJSON: Array(storedJSON.utf8)) else {
            preconditionFailure("the stored spec is not JSON")
        }
        precondition(stored.compactJSON() == storedJSON, "the stored spec does not round-trip")
        let reread: ConnectionSpec
        do { reread = try ConnectionSpec(stored: stored, name: spec.name, label: spec.label) } catch {
            preconditionFailure("an accepted spec is refused when read back from the vault: \(error)")
        }
        precondition(reread.parameters == spec.parameters, "parameters change in the storage round trip")
        do { _ = try CompiledFlow(spec) } catch {
            preconditionFailure("an accepted spec does not compile for the executor: \(error)")
        }
        var parameters = Object()
        for parameter in spec.parameters { parameters[parameter.name] = .string("p-\(parameter.name)") }
        let result = runOnce(spec, parameters: parameters)
        precondition((result.outcome == .valid) == (result.verified != nil), "valid iff a verified state")
        _ = result.log.map { $0.compactJSON() }
    } catch {
        precondition(!error.problems.isEmpty, "a refused spec names no problem")
        _ = error.description
    }
    // `_params`: what a `--params-file` holds, validated against the spec.
    if case .object(let document)? = try? Value(parsingJSONC: text), case .object(let given)? = document["_params"] {
        let spec = accepted ?? everyTypeSpec
        do {
            let validated = try ParameterValidator.validate(given, against: spec)
            _ = try? ParameterValidator.validateUpdate(given, stored: validated, against: spec)
        } catch {
            precondition(!error.problems.isEmpty, "refused parameters name no problem")
        }
    }
    return 0
}
