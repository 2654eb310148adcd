import Foundation
import Testing
import TestSupport

@Suite("connvault eval")
struct EvalCommandTests {
    let connvault = CommandRunner(product: "connvault")

    @Test func evaluatesTemplatesAndDocuments() throws {
        let context = #"{"parameters":{"username":"jane","password":"p:w","port":8080}}"#
        let header = try connvault.run(
            ["eval", "Basic {{base64(parameters.username + ':' + parameters.password)}}", "--context", "-"],
            stdin: context)
        #expect(header.status == 0 && header.stdout == "\"Basic amFuZTpwOnc=\"\n" && header.stderr.isEmpty)
        #expect(try connvault.run(["eval", "{{parameters.port}}", "--context", "-"], stdin: context).stdout == "8080\n")
        let document = try connvault.run(["eval", #"{"a":"{{1 + 2}}","b":["{{now}}"]}"#, "--context", "-"],
                                         stdin: #"{"$now":"2016-12-28T16:03:06Z"}"#)
        #expect(document.stdout == #"{"a":3,"b":["2016-12-28T16:03:06.000Z"]}"# + "\n")
        #expect(try connvault.run(["eval", "5"]).stdout == "5\n")
    }

    @Test func undefinedPrintsNothing() throws {
        let result = try connvault.run(["eval", "{{parameters.nope}}"])
        #expect(result.status == 0 && result.stdout.isEmpty)
    }

    @Test func contextFromAFile() throws {
        let directory = TemporaryDirectory()
        let file = directory.file("context.json")
        try #"{"environment":{"timezone":"Europe/Prague"},"$now":"2016-12-28T16:03:06Z"}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let result = try connvault.run(["eval", "{{formatDate(now, 'HH:mm')}}", "--context", file])
        #expect(result.status == 0 && result.stdout == "\"17:03\"\n", "\(result.stderr)")
        #expect(try connvault.run(["eval", "{{1}}", "--context", directory.file("missing.json")]).status == 65)
    }

    @Test func errorsExit65WithCodeColumnAndToken() throws {
        let unknown = try connvault.run(["eval", "Basic {{bas64(parameters.user)}}"])
        #expect(unknown.status == 65 && unknown.stdout.isEmpty)
        #expect(unknown.stderr.hasPrefix("Error: "))
        for part in ["E_UNKNOWN_FUNCTION", "column 9", "'bas64'"] { #expect(unknown.stderr.contains(part)) }
        let badContext = try connvault.run(["eval", "{{1}}", "--context", "-"], stdin: "[1]")
        #expect(badContext.status == 65 && badContext.stderr.contains("context"))
        let runtime = try connvault.run(["eval", #"{"{{...}}":"{{5}}"}"#])
        #expect(runtime.status == 65 && runtime.stderr.contains("E_SPREAD"))
    }
}
