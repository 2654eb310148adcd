import Foundation
import IML

// IML benchmark: `swift run -c release IMLBenchmark` (one thread). Prints a table and one JSON line.

func formatRate(_ rate: Double) -> String {
    rate >= 1e6 ? String(format: "%.2f M/s", rate / 1e6) : String(format: "%.0f k/s", rate / 1e3)
}

let specValue = try Value(parsingJSON: SeedSpec.communication)
let contextValue = try Value(parsingJSON: SeedSpec.context)
let context = EvaluationContext(
    variables: contextValue.objectValue ?? Object(), now: Instant(millisecondsSinceEpoch: 1_482_940_986_000))
let header = try Template("Basic {{base64(parameters.username + ':' + parameters.password)}}")
let document = try CompiledDocument(specValue, location: "communication")
let headerContext = EvaluationContext(
    variables: ["parameters": ["username": "Aladdin", "password": "open sesame"]],
    now: Instant(millisecondsSinceEpoch: 1_482_940_986_000))

// Sanity: both ways of building the header agree.
let expectedHeader = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
guard try header.evaluate(in: headerContext) == .string(expectedHeader) else { fatalError("wrong header") }

// `IMLBenchmark --profile header|spec|parse`: one loop only, for a profiler.
if let flag = CommandLine.arguments.firstIndex(of: "--profile"), flag + 1 < CommandLine.arguments.count {
    var total = 0
    let collectionBytes = Array(SeedSpec.dataCollection.utf8)
    for _ in 0..<3_000_000 {
        switch CommandLine.arguments[flag + 1] {
        case "header": total &+= (try? header.evaluate(in: headerContext))?.stringValue?.utf8.count ?? 0
        case "spec": total &+= (try? document.evaluate(in: context)) == nil ? 0 : 1
        default: total &+= (try? Value(parsingJSON: collectionBytes))?.objectValue?.count ?? 0
        }
    }
    print(total)
    exit(0)
}

var checksum = 0
var results: [Measure.Result] = []
@MainActor func record(_ measured: (Measure.Result, Int)) {
    results.append(measured.0)
    checksum &+= measured.1
}

record(
    Measure.run("header template: evaluate", batch: 100_000) {
        guard case .string(let text) = try? header.evaluate(in: headerContext) else { return 0 }
        return text.utf8.count
    })
let username = "Aladdin"
let password = "open sesame"
record(
    Measure.run("header: plain Swift string ops", batch: 100_000) {
        let text = "Basic " + Data((username + ":" + password).utf8).base64EncodedString()
        return text.utf8.count
    })
record(
    Measure.run("seed spec: compile", batch: 2_000) {
        (try? CompiledDocument(specValue, location: "communication")) == nil ? 0 : 1
    })
record(
    Measure.run("seed spec: evaluate whole document", batch: 20_000) {
        guard case .array(let requests) = try? document.evaluate(in: context) else { return 0 }
        return requests.count
    })
let collectionBytes = Array(SeedSpec.dataCollection.utf8)
let collection = try Value(parsingJSON: collectionBytes)
record(
    Measure.run("JSON: parse ~200-byte object", batch: 50_000) {
        (try? Value(parsingJSON: collectionBytes))?.objectValue?.count ?? 0
    })
record(
    Measure.run("JSON: compact ~200-byte object", batch: 50_000) {
        collection.compactJSON().utf8.count
    })

let headerRate = results[0].rate
let plainRate = results[1].rate
let compileMicroseconds = results[2].nanoseconds / 1000
let nameWidth = results.map(\.name.count).max() ?? 0
print("IML benchmark (release, one thread)")
print(
    "benchmark".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
        + "rate".padding(
            toLength: 12, withPad: " ", startingAt: 0) + "  time/op")
for result in results {
    let name = result.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
    let rate = formatRate(result.rate).padding(toLength: 12, withPad: " ", startingAt: 0)
    print("\(name)  \(rate)  \(String(format: "%.0f ns", result.nanoseconds))")
}
print(
    String(
        format: "header template / plain Swift: %.2fx the time (%.0f%% of the plain rate)",
        plainRate / headerRate, 100 * headerRate / plainRate))
print(
    String(
        format: "seed spec compile: %.1f µs (goal < 100 µs); header: %@ (goal ≥ 1 M/s)",
        compileMicroseconds, formatRate(headerRate)))

let summary: Value = [
    "headerEvaluationsPerSecond": .number(headerRate.rounded()),
    "plainSwiftHeadersPerSecond": .number(plainRate.rounded()),
    "headerSlowdownVersusPlainSwift": .number((plainRate / headerRate * 100).rounded() / 100),
    "specCompileMicroseconds": .number((compileMicroseconds * 10).rounded() / 10),
    "specEvaluationsPerSecond": .number(results[3].rate.rounded()),
    "jsonParsePerSecond": .number(results[4].rate.rounded()),
    "jsonCompactPerSecond": .number(results[5].rate.rounded()),
    "checksum": .number(checksum),
]
print(summary.compactJSON())
