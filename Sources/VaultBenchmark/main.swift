import ConnectionVault
import Foundation
import IML

// The vault's benchmark driver. The master key comes from $CONNVAULT_KEY (base64).
//
//   VaultBenchmark prepare VAULT COUNT IDS_FILE   create a vault of COUNT connections; write their ids
//   VaultBenchmark read VAULT IDS_FILE ITERATIONS read each id's data collection ITERATIONS times over
//
// `read` prints one JSON line: {"reads", "nsPerRead"}; Benchmarks/run-hotpath compares it with the C baseline.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("VaultBenchmark: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 5, let keyText = ProcessInfo.processInfo.environment["CONNVAULT_KEY"] else {
    fail("usage: VaultBenchmark prepare VAULT COUNT IDS_FILE | read VAULT IDS_FILE ITERATIONS (key in $CONNVAULT_KEY)")
}

do {
    let key = try MasterKeySource.base64(keyText)
    switch arguments[1] {
    case "prepare":
        guard let count = Int(arguments[3]) else { fail("COUNT must be a number") }
        let vault = try Vault.create(at: arguments[2], key: key)
        try vault.importType(name: "bench", label: "Bench", spec: ["communication": ["url": "https://api.test/me"]])
        var ids: [String] = []
        let run = HistoryEntry(at: Date(), specVersion: 1, outcome: .valid, httpStatus: 200, durationMs: 1, error: nil)
        for index in 0..<count {
            // A typical collection: an API key, a session token, a few profile fields (~200 bytes of JSON).
            let data: Object = [
                "apiKey": .string("ak_live_\(index)_5d41402abc4b2a76b9719d911017c592"),
                "token": .string("eyJhbGciOiJIUzI1NiJ9.\(index).c2lnbmF0dXJlLXNpZ25hdHVyZQ"),
                "userId": .number(Number(Int64(1_000_000 + index))),
                "userName": .string("user\(index)@example.com"),
                "region": "eu-west-1",
            ]
            let state = VerifiedState(
                parameters: ["apiKey": data["apiKey"]!], data: data, metadata: Metadata(value: "user\(index)"),
                uid: String(1_000_000 + index))
            let connection = try vault.createConnection(
                NewConnection(typeName: "bench", name: "user\(index)", storage: .verified(run, state)))
            ids.append(connection.id.uuidString.lowercased())
        }
        try vault.checkpoint()
        try ids.joined(separator: "\n").write(toFile: arguments[4], atomically: true, encoding: .utf8)
    case "read":
        guard let iterations = Int(arguments[4]) else { fail("ITERATIONS must be a number") }
        let ids = try String(contentsOfFile: arguments[3], encoding: .utf8).split(separator: "\n").compactMap {
            UUID(uuidString: String($0))
        }
        let vault = try Vault.open(at: arguments[2], key: key)
        var members = 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<iterations {
            for id in ids { members &+= try vault.data(of: id).count }
        }
        let elapsed = clock.now - start
        let reads = iterations * ids.count
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        print(#"{"reads":\#(reads),"nsPerRead":\#(String(format: "%.1f", nanoseconds / Double(reads))),"members":\#(members)}"#)
    default:
        fail("unknown mode \(arguments[1])")
    }
} catch {
    fail("\(error)")
}
