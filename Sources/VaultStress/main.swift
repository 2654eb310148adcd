import ConnectionVault
import Foundation
import IML

// A load generator for multi-process tests: several of these processes use one vault file at once.
//
//   VaultStress write PATH COUNT TAG   create COUNT connections named TAG-i, recording a run for each
//   VaultStress read PATH ROUNDS       read every connection's data ROUNDS times, checking its content
//
// The master key comes from $CONNVAULT_KEY (base64), never from the command line.
// Exit status: 0 when every operation succeeded, 1 with the first error on stderr otherwise.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("VaultStress: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count >= 4, let count = Int(arguments[3]) else {
    fail("usage: VaultStress write PATH COUNT TAG | read PATH ROUNDS")
}
guard let keyText = ProcessInfo.processInfo.environment["CONNVAULT_KEY"] else { fail("CONNVAULT_KEY is not set") }

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
        for _ in 0..<count {
            for connection in try vault.connections() {
                let data = try vault.data(of: connection.id)
                guard data["apiKey"] == .string("key-\(connection.name)") else {
                    fail("connection \(connection.id) returned an incomplete or wrong collection")
                }
            }
        }
    default:
        fail("unknown mode \(arguments[1])")
    }
} catch {
    fail("\(error)")
}
