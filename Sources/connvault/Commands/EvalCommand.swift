import Foundation
import IML

/// `connvault eval TEMPLATE [--context FILE|-]`: the spec author's tool for trying IML. Needs no vault.
enum EvalCommand {
    static func run(_ command: ParsedCommand) throws {
        let template = command.string("template") ?? ""
        var context: [UInt8]?
        if let source = command.string("context") {
            context = try readInput(source, what: "the context")
        }
        do {
            if let json = try CommandLineEvaluation.evaluate(template: template, contextJSON: context) {
                StandardStreams.out(json + "\n")
            }
        } catch {
            throw CommandError(error.description, exitCode: .badInput)
        }
    }
}

/// The bytes of a file, or of standard input for `-`; an unreadable file is bad input (65).
func readInput(_ source: String, what: String) throws -> [UInt8] {
    if source == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
    guard let data = FileManager.default.contents(atPath: source) else {
        throw CommandError("cannot read \(what) from \(source)", exitCode: .badInput)
    }
    return Array(data)
}
