import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

/// Prompts on a real terminal (a pseudo-terminal driven by python3's `pty` module).
@Suite("Prompts on a terminal", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
    || ProcessInfo.processInfo.environment["PATH"]?.contains("python") == true, "needs python3"))
struct PromptTests {
    /// Runs `arguments` under a pseudo-terminal, answering each prompt containing `prompt` with `answer`.
    func runOnTerminal(_ arguments: [String], environment: [String: String], prompt: String, answer: String) throws
        -> (status: Int32, transcript: String)
    {
        let driver = """
            import os, pty, sys, time
            args, prompt, answer = sys.argv[1:-2], sys.argv[-2].encode(), sys.argv[-1].encode()
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(args[0], args)
            out, answered = b"", 0
            while True:
                try:
                    chunk = os.read(fd, 1024)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
                if out.count(prompt) > answered:
                    answered += 1
                    time.sleep(0.05)
                    os.write(fd, answer + b"\\n")
            _, status = os.waitpid(pid, 0)
            sys.stdout.write(out.decode(errors="replace"))
            sys.exit(os.waitstatus_to_exitcode(status))
            """
        let runner = CommandRunner(product: "connvault")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", driver, runner.executable.path] + arguments + [prompt, answer]
        process.environment = runner.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let transcript = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, transcript)
    }

    @Test func aMissingRequiredPasswordIsAskedForWithoutEcho() throws {
        let test = try TestVault()
        let secret = "CANARY-typed-7e2f"
        let server = try ScriptedHTTPServer { request in
            request.header("X-Api-Key") == secret ? .json(#"{"id": 5, "name": "typed"}"#) : .json("{}", status: 401)
        }
        let spec = try Examples.spec("acme-apikey", pointedAt: server.baseURL, in: test.directory.path)
        let environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path]
        #expect(try CommandRunner(product: "connvault").run(["types", "import", spec], environment: environment).status == 0)
        let result = try runOnTerminal(["add", "acme-apikey"], environment: environment, prompt: "API Key: ", answer: secret)
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.transcript.contains("API Key: ") && result.transcript.contains("(valid)"))
        #expect(!result.transcript.contains(secret))  // not echoed
        #expect(try test.reopen().connections().count == 1)
    }

    @Test func aPassphraseVaultAsksForItsPassphrase() throws {
        let directory = TemporaryDirectory()
        let environment = ["CONNVAULT_PATH": directory.file("v.db"), "HOME": directory.path,
                           "XDG_CONFIG_HOME": directory.file("config")]
        let created = try runOnTerminal(["init", "--passphrase"], environment: environment, prompt: "passphrase: ",
                                        answer: "CANARY-typed-passphrase")
        #expect(created.status == 0, "\(created.transcript)")
        let listed = try runOnTerminal(["list", "--json"], environment: environment, prompt: "Passphrase for",
                                       answer: "CANARY-typed-passphrase")
        #expect(listed.status == 0 && listed.transcript.contains("[]"), "\(listed.transcript)")
        #expect(!created.transcript.contains("CANARY") && !listed.transcript.contains("CANARY"))
        let wrong = try runOnTerminal(["list"], environment: environment, prompt: "Passphrase for", answer: "nope")
        #expect(wrong.status == 77)
    }
}

extension PromptTests {
    @Test func revalidateShowsALiveProgressLineOnATerminal() throws {
        let test = try TestVault()
        let server = try ScriptedHTTPServer { _ in .json(#"{"id": 1, "name": "n"}"#) }
        let spec = try Examples.spec("acme-apikey", pointedAt: server.baseURL, in: test.directory.path)
        let environment = ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path]
        let connvault = CommandRunner(product: "connvault")
        #expect(try connvault.run(["types", "import", spec], environment: environment).status == 0)
        for index in 0..<3 {
            _ = try connvault.run(["add", "acme-apikey", "--no-verify", "--name", "c\(index)", "--param", "apiKey=k"],
                                  environment: environment)
        }
        let result = try runOnTerminal(["revalidate", "--all"], environment: environment, prompt: "never asked", answer: "")
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.transcript.contains("3/3 done: 3 valid, 0 invalid, 0 unreachable, 0 needs-input"))
        #expect(result.transcript.contains("3 of 3 checked: 3 valid"))
    }
}
