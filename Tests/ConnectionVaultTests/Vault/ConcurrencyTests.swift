import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Concurrent use")
struct ConcurrencyTests {
    @Test func manyThreadsShareOneVault() async throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        let vault = test.vault
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    try await Task.detached {  // blocking work stays off the caller's executor
                        for index in 0..<25 {
                            let connection = try TestVault.addVerified(on: vault, apiKey: "w\(worker)-\(index)")
                            #expect(try vault.data(of: connection.id)["apiKey"] == .string("w\(worker)-\(index)"))
                            _ = try vault.connections()
                        }
                    }.value
                }
            }
            try await group.waitForAll()
        }
        #expect(try vault.connections().count == 200)
    }

    /// The VaultStress executable, built beside the test bundle.
    static var stressTool: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundle, Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        return candidates.map { $0.appendingPathComponent("VaultStress") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0].appendingPathComponent("VaultStress")
    }

    @Test func twoWriterProcessesAndSeveralReadersLoseNothing() throws {
        let test = try TestVault()
        try test.importAPIKeyType()
        for index in 0..<10 { _ = try TestVault.addVerified(on: test.vault, apiKey: "key-seed-\(index)") }
        // Readers check `apiKey == "key-" + name`; seed connections follow the same rule.
        for connection in try test.vault.connections() where connection.name.hasPrefix("key-") {
            try test.vault.rename(connection.id, to: String(connection.name.dropFirst(4)))
        }
        var environment = ProcessInfo.processInfo.environment
        environment["CONNVAULT_KEY"] = test.keyBase64
        let perWriter = 150
        let jobs = [["write", test.path, "\(perWriter)", "w1"], ["write", test.path, "\(perWriter)", "w2"]]
            + Array(repeating: ["read", test.path, "15"], count: 3)
        let processes = try jobs.map { arguments in
            let process = Process()
            process.executableURL = Self.stressTool
            process.arguments = arguments
            process.environment = environment
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            return (process, errors)
        }
        for (process, errors) in processes {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(process.arguments ?? []): \(message)")
            #expect(!message.contains("locked") && !message.contains("busy"))
        }
        let vault = try test.reopen()
        let connections = try vault.connections()
        #expect(connections.count == 10 + 2 * perWriter)
        for tag in ["w1", "w2"] {
            let names = Set(connections.map(\.name).filter { $0.hasPrefix(tag + "-") })
            #expect(names == Set((0..<perWriter).map { "\(tag)-\($0)" }))
        }
        for connection in connections.filter({ $0.name.hasPrefix("w") }).prefix(20) {
            #expect(try vault.history(of: connection.id).count == 2)
        }
    }
}
