import Foundation
import Testing
import TestSupport

@Suite("Help for every command")
struct HelpTests {
    static let commands: [[String]] = [
        ["init"], ["types"], ["types", "import"], ["types", "list"], ["types", "show"], ["common"], ["common", "set"],
        ["common", "show"], ["add"], ["list"], ["show"], ["revalidate"], ["update"], ["rename"], ["remove"],
        ["history"], ["find"], ["key"], ["key", "rotate"], ["key", "change-master"], ["export"], ["import"],
        ["doctor"], ["eval"],
    ]

    @Test(arguments: commands)
    func helpIsLaidOutLikeArgumentParser(_ command: [String]) throws {
        let connvault = CommandRunner(product: "connvault")
        let help = try connvault.run(command + ["--help"])
        #expect(help.status == 0 && help.stderr.isEmpty)
        #expect(help.stdout.hasPrefix("OVERVIEW: "))
        #expect(help.stdout.contains("USAGE: connvault \(command.joined(separator: " "))"))
        #expect(help.stdout.contains("OPTIONS:") && help.stdout.contains("-h, --help"))
        #expect(try connvault.run(["help"] + command).stdout == help.stdout)
        let unknown = try connvault.run(command + ["--no-such-flag"])
        #expect(unknown.status == 64 && unknown.stderr.hasPrefix("Error: ") && unknown.stderr.contains("Usage: connvault"))
    }
}
