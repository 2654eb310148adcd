import ConnectionVault
import Foundation
import IML

/// `add`, `update` and `revalidate`: the commands that run verification flows.
enum VerificationCommands {
    /// The executor of one command; runs keep their request/response log only when `--log` will print it.
    static func executor(concurrency: Int = 8, keepsLog: Bool = false) -> Executor {
        var configuration = Executor.Configuration()
        configuration.maxConcurrentRequests = max(1, concurrency)
        configuration.keepsLog = keepsLog
        if let zone = ProcessInfo.processInfo.environment["CONNVAULT_TIMEZONE"] { configuration.timeZone = zone }
        return Executor(configuration: configuration)
    }

    /// The `{"outcome", "status", "httpStatus", "durationMs", "error"}` object of a run.
    static func runDocument(_ run: FlowResult, status: ConnectionStatus?, id: UUID? = nil) -> Value {
        var object = Object()
        if let id { object["id"] = .string(id.uuidString.lowercased()) }
        object["outcome"] = .string(run.outcome.rawValue)
        object["status"] = status.map { .string($0.rawValue) } ?? .null
        object["httpStatus"] = JSONDocuments.integer(run.httpStatus)
        object["durationMs"] = JSONDocuments.integer(run.durationMs)
        object["error"] = JSONDocuments.text(run.error)
        return .object(object)
    }

    static func add(_ command: ParsedCommand, vault: Vault) async throws {
        let typeName = command.string("type") ?? ""
        let spec = try vault.spec(ofType: typeName)
        var values = try ParameterInput.collect(command)
        ParameterInput.promptForMissingPasswords(&values, spec: spec)
        let result = try await vault.addConnection(
            typeName: typeName, name: command.string("name"), parameters: values, verify: !command.flag("no-verify"),
            executor: executor())
        if let connection = result.connection {
            if command.flag("json") { return JSONDocuments.print(JSONDocuments.connection(connection)) }
            return StandardStreams.out(
                "Added \(connection.id.uuidString.lowercased()) \(connection.name) (\(connection.status.rawValue))\n")
        }
        guard let run = result.run else { return }
        if command.flag("json") { JSONDocuments.print(runDocument(run, status: run.outcome.status)) }
        throw CommandError("\(run.outcome.rawValue): \(run.error ?? "")", exitCode: .notValid)
    }

    static func update(_ command: ParsedCommand, vault: Vault) async throws {
        let id = try ConnectionReference.resolve(command.string("id") ?? "", in: vault)
        let values = try ParameterInput.collect(command)
        let result = try await vault.updateConnection(id, parameters: values, name: command.string("name"), executor: executor())
        if result.outcome == .valid {
            if command.flag("json") { return JSONDocuments.print(JSONDocuments.connection(result.connection)) }
            return StandardStreams.out("Updated \(id.uuidString.lowercased()) \(result.connection.name) (valid)\n")
        }
        var run = result.run
        run.outcome = result.outcome
        run.error = result.connection.lastError
        if command.flag("json") { JSONDocuments.print(runDocument(run, status: result.connection.status)) }
        throw CommandError("\(run.outcome.rawValue): \(run.error ?? "")", exitCode: .notValid)
    }
}
