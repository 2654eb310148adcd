import ConnectionVault
import Foundation
import IML

/// Collects parameter values from `--params-file` and `--param NAME=VALUE` (`@FILE`, `@-`), and prompts for
/// missing required passwords on a terminal.
enum ParameterInput {
    /// The given values: the params file first, then each `--param`, later ones winning.
    static func collect(_ command: ParsedCommand) throws -> Object {
        var values = Object()
        if let file = command.string("params-file") {
            guard case .object(let object)? = try? Value(parsingJSONC: readInput(file, what: "the parameters file")) else {
                throw CommandError("the parameters file must hold a JSON object", exitCode: .badInput)
            }
            values = object
        }
        var readStandardInput = false
        for assignment in command.strings("param") {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw command.usageError("--param expects NAME=VALUE, NAME=@FILE or NAME=@-")
            }
            let name = String(assignment[..<equals])
            var value = String(assignment[assignment.index(after: equals)...])
            if value == "@-" {
                guard !readStandardInput else {
                    throw CommandError("only one parameter can be read from standard input", exitCode: .badInput)
                }
                readStandardInput = true
                value = withoutTrailingNewline(FileHandle.standardInput.readDataToEndOfFile())
            } else if value.hasPrefix("@") {
                let path = String(value.dropFirst())
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw CommandError("cannot read the value of \(name) from \(path)", exitCode: .badInput)
                }
                value = withoutTrailingNewline(data)
            }
            values[name] = .string(value)
        }
        return values
    }

    /// Asks for each missing required `password` parameter without echo, when standard input is a terminal.
    static func promptForMissingPasswords(_ values: inout Object, spec: ConnectionSpec) {
        guard Terminal.standardInputIsTerminal else { return }
        for parameter in spec.parameters where parameter.required && parameter.isSecret && values[parameter.name] == nil {
            guard let secret = Terminal.readSecret(prompt: "\(parameter.label ?? parameter.name): ") else { continue }
            values[parameter.name] = .string(secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
        }
    }

    private static func withoutTrailingNewline(_ data: Data) -> String {
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        if text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}
