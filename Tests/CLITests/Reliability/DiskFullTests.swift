import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

/// The disk fills up (a small tmpfs mounted by the test, as root) while connections are added and while the data
/// key rotates: the command fails with a clear message (exit 1, "database or disk is full" or "No space left on
/// device"), and afterwards the
/// vault is intact and holds exactly what it held before the failed command. Skipped, saying why, where this
/// process may not mount.
@Suite("Disk full", .serialized)
struct DiskFullTests {
    let connvault = CommandRunner(product: "connvault")

    /// A tmpfs, or nil after recording why the test cannot run here.
    static func mount(size: Int) -> TestMount? {
        switch TestMount.tmpfs(size: size) {
        case .success(let mount): return mount
        case .failure(let refusal):
            print("[reliability] SKIPPED disk-full test: cannot mount a tmpfs here (\(refusal)); run as root")
            return nil
        }
    }

    /// What a failed write must say: exit 1, one `Error:` line naming the full disk, no crash.
    static func expectDiskFullError(_ result: CommandRunner.Result, _ what: String) {
        #expect(result.status == 1, "\(what): exit \(result.status): \(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: "), "\(what): \(result.stderr)")
        #expect(
            result.stderr.contains("database or disk is full") || result.stderr.contains("No space left on device"),
            "\(what): \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "\(what): \(result.stderr)")
    }

    @Test func addingConnectionsUntilTheDiskIsFull() async throws {
        try await BlockingWork.run { try addingConnectionsUntilTheDiskIsFullBody() }
    }

    func addingConnectionsUntilTheDiskIsFullBody() throws {
        guard let mount = Self.mount(size: 2 << 20) else { return }
        defer { mount.unmount() }
        let outside = TemporaryDirectory()
        let key = TestVault.randomKeyBase64()
        let path = mount.file("vault.db")
        let environment = ["CONNVAULT_KEY": key, "CONNVAULT_PATH": path, "HOME": outside.path]
        #expect(try connvault.run(["init"], environment: environment).status == 0)
        let spec = try Examples.spec("acme-apikey", pointedAt: "http://127.0.0.1:9", in: outside.path)
        #expect(try connvault.run(["types", "import", spec], environment: environment).status == 0)
        let audit = VaultAudit(path: path, keyBase64: key)
        // Each secret is 16 KiB, so a few adds fill what is left.
        let expect: @Sendable (Connection, Object) -> String? = { connection, data in
            data["apiKey"] == .string(Self.secret(for: connection.name)) ? nil : "wrong apiKey"
        }

        for leave in [256 << 10, 64 << 10, 20 << 10, 4 << 10, 0] {
            // The audit opens the vault, which needs room for its -wal and -shm: it runs while there is room.
            guard case .success(let before) = audit.check(expect: expect) else {
                Issue.record("the vault is damaged before filling to \(leave) bytes")
                return
            }
            let filler = TestMount.fill(mount.path, leaving: leave)
            var added = 0
            var failure: CommandRunner.Result?
            for index in 0..<64 {
                let name = "n\(leave)-\(index)"
                let file = outside.file("secret")
                try Self.secret(for: name).write(toFile: file, atomically: true, encoding: .utf8)
                let result = try connvault.run(
                    ["add", "acme-apikey", "--name", name, "--no-verify", "--param", "apiKey=@\(file)"], environment: environment)
                if result.status != 0 {
                    failure = result
                    break
                }
                added += 1
            }
            // Reading on the full disk works, or fails as clearly.
            let list = try connvault.run(["list", "--json"], environment: environment)
            if list.status != 0 { Self.expectDiskFullError(list, "list on a full disk") }
            unlink(filler)
            let result = try #require(failure, "\(added) adds fitted in \(leave) bytes")
            Self.expectDiskFullError(result, "add with \(leave) bytes left after \(added) adds")
            switch audit.check(expect: expect) {
            case .success(let after):
                // Exactly the adds that succeeded, whole, and nothing of the failed one.
                #expect(after.data.count == before.data.count + added, "the failed add left a row, or a success was lost")
                #expect(before.data.allSatisfy { after.data[$0.key] == $0.value }, "an older connection changed")
            case .failure(let problems): Issue.record("after the failed add (\(leave) bytes left): \(problems)")
            }
            let again = try connvault.run(
                ["add", "acme-apikey", "--name", "after-\(leave)", "--no-verify", "--param", "apiKey=@-"],
                environment: environment, stdin: Self.secret(for: "after-\(leave)"))
            #expect(again.status == 0, "add after freeing space: \(again.stderr)")
            ReliabilitySettings.report(
                "disk full while adding: \(added) adds fitted in \(leave) bytes, then: "
                    + result.stderr.trimmingCharacters(in: .newlines) + (list.status == 0 ? "; list worked" : "; list: \(list.stderr)"))
        }
        if case .failure(let problems) = audit.check(expect: expect) { Issue.record("at the end: \(problems)") }
        let doctor = try connvault.run(["doctor"], environment: environment)
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
    }

    /// A 16 KiB secret for the connection called `name`.
    static func secret(for name: String) -> String {
        "key-\(name)-" + String(repeating: "s", count: 16 << 10)
    }

    @Test func keyRotationOnAFullDisk() async throws {
        try await BlockingWork.run { try keyRotationOnAFullDiskBody() }
    }

    func keyRotationOnAFullDiskBody() throws {
        guard let mount = Self.mount(size: 16 << 20) else { return }
        defer { mount.unmount() }
        let key = TestVault.randomKeyBase64()
        let path = mount.file("vault.db")
        do {
            let vault = try Vault.create(at: path, key: .base64(key))
            try vault.importType(name: "acme-apikey", label: "Acme", spec: TestVault.apiKeySpec)
            try vault.setCommonData(["clientSecret": "common"], forType: "acme-apikey")
            for index in 0..<400 {
                let name = "c-\(index)"
                let parameters: Object = ["apiKey": .string("key-\(name)")]
                _ = try vault.createConnection(NewConnection(
                    typeName: "acme-apikey", name: name, storage: .unverified(parameters: parameters)))
            }
            try vault.checkpoint()
        }
        let environment = ["CONNVAULT_KEY": key, "CONNVAULT_PATH": path, "HOME": mount.path]
        let audit = VaultAudit(path: path, keyBase64: key)
        guard case .success(var before) = audit.check(expect: VaultAudit.apiKeyMatchesName) else {
            Issue.record("the new vault does not pass the audit")
            return
        }
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var failures = 0
        // From no room at all to nearly enough for the WAL of a whole rotation.
        for leave in [0, 4 << 10, 16 << 10, 48 << 10, size / 2, size - (size / 8)] {
            let filler = TestMount.fill(mount.path, leaving: leave)
            let result = try connvault.run(["key", "rotate"], environment: environment)
            unlink(filler)
            guard case .success(let after) = audit.check(expect: VaultAudit.apiKeyMatchesName) else {
                Issue.record("after rotating with \(leave) bytes left: \(audit.check(expect: nil))")
                return
            }
            #expect(after.data == before.data && after.common == before.common, "a value changed")
            #expect(after.keyVersions.count == 1 && after.sealedVersions == Set(after.keyVersions))
            if result.status == 0 {
                #expect(after.keyVersions == before.keyVersions.map { $0 + 1 })
            } else {
                failures += 1
                Self.expectDiskFullError(result, "key rotate with \(leave) of \(size) bytes left")
                #expect(after.keyVersions == before.keyVersions, "a failed rotation changed the key")
            }
            ReliabilitySettings.report(
                "key rotate with \(leave) bytes left (vault \(size) bytes): exit \(result.status) "
                    + result.stderr.trimmingCharacters(in: .newlines))
            before = after
        }
        #expect(failures >= 2, "the disk never filled up during rotation")
        let rotate = try connvault.run(["key", "rotate"], environment: environment)
        #expect(rotate.status == 0, "\(rotate.stderr)")
        let doctor = try connvault.run(["doctor"], environment: environment)
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
    }
}
