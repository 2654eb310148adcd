// libFuzzer entry point for the IML parser and evaluator. Built by `Fuzz/run` together with the IML sources
// into one module (so internal API is reachable without @testable).

/// A context with every kind of value, so that fuzzed templates reach lookups, dates, binary and headers.
private let fuzzContext: EvaluationContext = {
    let variables: Value = [
        "parameters": [
            "username": "user", "password": "pa:ss", "port": 8080, "tls": false, "big": .number(Number(Int64.max)),
            "host": "", "d": "2016-12-28T16:03:06.000Z", "items": [["id": "a"], ["id": "b"]],
        ],
        "body": [
            "nums": [3, 1, 2, 3], "tags": ["b", "a", "B"], "obj": ["a": 1, "b": nil, "c": "x"],
            "raw": "{\"n\":5}", "text": "Hello 😀 Wörld", "nested": [1, [2, [3]]],
            "users": [["id": 1, "name": "Ann", "role": "admin"], ["id": 2, "name": "bob", "role": "user"]],
        ],
        "headers": ["x-api-key": "k1", "set-cookie": ["a=1", "b=2"]],
        "temp": ["claims": ["sub": "123"], "bin": .binary([0, 255, 128, 10])],
        "statusCode": 200,
        "data": ["when": .date(Instant(millisecondsSinceEpoch: 1_482_940_986_000))],
    ]
    return EvaluationContext(
        variables: variables.objectValue ?? Object(), now: Instant(millisecondsSinceEpoch: 1_482_940_986_000),
        timeZone: "Europe/Prague", randomSource: .seeded(7))
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let mode = bytes[0] % 4
    let payload = UnsafeBufferPointer(rebasing: bytes[1...])
    switch mode {
    case 0:
        // One template string: compile, evaluate, and serialise the result.
        let text = String(decoding: payload, as: UTF8.self)
        _ = Template.warnings(in: text)
        if let template = try? Template(text) {
            if let value = try? template.evaluate(in: fuzzContext) {
                _ = value.compactJSON()
                _ = value.text
            }
        } else {
            precondition(!Template.problems(in: text).isEmpty, "a failing compile reports no problem")
        }
    case 1:
        // A single expression inside a tag.
        let text = "{{" + String(decoding: payload, as: UTF8.self) + "}}"
        if let template = try? Template(text), let value = try? template.evaluate(in: fuzzContext) {
            _ = value.compactJSON()
        }
    case 2:
        // Strict JSON: whatever parses must round-trip through compact JSON.
        if let value = try? Value(parsingJSON: payload) {
            let text = value.compactJSON()
            guard let again = try? Value(parsingJSON: text) else { preconditionFailure("compact JSON does not parse") }
            precondition(again.compactJSON() == text, "compact JSON does not round-trip")
        }
    default:
        // JSONC documents compiled as specs.
        if let value = try? Value(parsingJSONC: payload) {
            let problems = CompiledDocument.problems(in: value)
            _ = CompiledDocument.warnings(in: value)
            if problems.isEmpty, let document = try? CompiledDocument(value) {
                _ = try? document.evaluate(in: fuzzContext)
            }
        }
    }
    return 0
}
