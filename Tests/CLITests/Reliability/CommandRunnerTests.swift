import Foundation
import Testing
import TestSupport

/// The helpers the reliability suite leans on.
@Suite("Test support: running commands")
struct CommandRunnerTests {
    /// A child that exits without reading its input closes the pipe: writing 1 MiB to it must fail quietly, not
    /// raise SIGPIPE in the test process (which would end the whole run).
    @Test func aChildThatIgnoresItsInputCannotKillTheTests() throws {
        let connvault = CommandRunner(product: "connvault")
        let input = String(repeating: "x", count: 1 << 20)
        #expect(try connvault.run(["--version"], stdin: input).status == 0)
        let running = try RunningCommand(connvault, ["--version"], stdin: input).wait()
        #expect(running.status == 0 && !running.killedBySignal)
    }
}
