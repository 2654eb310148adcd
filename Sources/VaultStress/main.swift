import ConnectionVault
import Foundation
import IML

// A load generator for multi-process tests: several of these processes use one vault file at once.
//
//   VaultStress write PATH COUNT TAG       create COUNT connections named TAG-i, recording a run for each
//   VaultStress read PATH ROUNDS [--expect N] [--seconds S]
//                                          as a runner does: open once, then list the connections and read every
//                                          one's data collection, ROUNDS times (or for S seconds), checking that
//                                          each collection is complete and correct (and that N are listed);
//                                          prints "reads R" at the end
//   VaultStress batches PATH BATCHES SIZE [--seconds S]
//                                          record BATCHES batches (or for S seconds) of SIZE valid runs (round-robin
//                                          over the connections, re-sealing their secrets), one transaction per
//                                          batch; each run's durationMs is its batch number; prints "committed B"
//                                          (flushed) after each commit
//   VaultStress rotate PATH ROUNDS [--seconds S]
//                                          rotate the data key ROUNDS times (or for S seconds); prints
//                                          "rotated V" (flushed) after each rotation
//
// Connections follow one rule that readers check: the data collection's `apiKey` is "key-" + the name.
// The master key comes from $CONNVAULT_KEY (base64), never from the command line.
// Exit status: 0 when every operation succeeded, 1 with the first error on stderr otherwise.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("VaultStress: \(message)\n".utf8))
    exit(1)
}

/// Writes a line to standard output at once (the parent may kill this process right after reading it).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let usage = "usage: VaultStress write PATH COUNT TAG | read PATH ROUNDS [--expect N] [--seconds S]"
    + " | batches PATH BATCHES SIZE [--seconds S] | rotate PATH ROUNDS [--seconds S]"
let arguments = CommandLine.arguments
guard arguments.count >= 4, let count = Int(arguments[3]) else { fail(usage) }
guard let keyText = ProcessInfo.processInfo.environment["CONNVAULT_KEY"] else { fail("CONNVAULT_KEY is not set") }

/// The value of `--name VALUE` among the arguments after the fourth, if present.
func option(_ name: String) -> Int? {
    guard let index = arguments.firstIndex(of: name), index > 3, index + 1 < arguments.count else { return nil }
    guard let value = Int(arguments[index + 1]) else { fail("\(name) expects a number") }
    return value
}

/// Repeats `body` `rounds` times, or until `seconds` have passed when `--seconds` is given.
func repeatRounds(_ rounds: Int, _ body: () throws -> Void) rethrows {
    if let seconds = option("--seconds") {
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        while Date() < deadline { try body() }
    } else {
        for _ in 0..<rounds { try body() }
    }
}

/// A valid run that stores the connection's state again (so its secrets are re-sealed), tagged by `batch`.
func validRun(for connection: Connection, batch: Int) -> RunResult {
    var parameters = Object()
    parameters["apiKey"] = .string("key-\(connection.name)")
    let state = VerifiedState(
        parameters: parameters, data: parameters, metadata: Metadata(value: connection.name), uid: connection.uid)
    let run = HistoryEntry(at: Date(), specVersion: 1, outcome: .valid, httpStatus: 200, durationMs: batch, error: nil)
    return RunResult(run: run, verified: state)
}

do {
    let vault = try Vault.open(at: arguments[2], key: .base64(keyText))
    switch arguments[1] {
    case "write":
        let tag = arguments.count > 4 ? arguments[4] : "writer"
        for index in 0..<count {
            let name = "\(tag)-\(index)"
            var parameters = Object()
            parameters["apiKey"] = .string("key-\(name)")
            let state = VerifiedState(parameters: parameters, data: parameters, metadata: Metadata(value: name), uid: name)
            let run = HistoryEntry(at: Date(), specVersion: 1, outcome: .valid, httpStatus: 200, durationMs: 1, error: nil)
            let connection = try vault.createConnection(
                NewConnection(typeName: "acme-apikey", name: name, storage: .verified(run, state)))
            try vault.record(RunResult(run: run, verified: state), for: connection.id)
        }
    case "read":
        let expected = option("--expect")
        var reads = 0
        try repeatRounds(count) {
            let connections = try vault.connections()
            if let expected, connections.count != expected {
                fail("listed \(connections.count) connections, expected \(expected)")
            }
            for connection in connections {
                let data = try vault.data(of: connection.id)
                guard data["apiKey"] == .string("key-\(connection.name)") else {
                    fail("connection \(connection.id) returned an incomplete or wrong collection")
                }
                reads += 1
            }
        }
        say("reads \(reads)")
    case "batches":
        guard arguments.count > 4, let size = Int(arguments[4]), size > 0 else { fail(usage) }
        let connections = try vault.connections()
        guard !connections.isEmpty else { fail("the vault holds no connection") }
        var next = 0
        var batch = 0
        try repeatRounds(max(1, count)) {
            batch += 1
            var results: [(id: UUID, result: RunResult)] = []
            for _ in 0..<size {
                let connection = connections[next % connections.count]
                next += 1
                results.append((connection.id, validRun(for: connection, batch: batch)))
            }
            _ = try vault.record(results)
            say("committed \(batch)")
        }
    case "rotate":
        try repeatRounds(count) {
            let report = try vault.rotateDataKey()
            say("rotated \(report.keyVersion)")
        }
    default:
        fail("unknown mode \(arguments[1])")
    }
} catch {
    fail("\(error)")
}
