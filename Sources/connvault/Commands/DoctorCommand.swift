import ConnectionVault
import Foundation
import IML

/// `connvault doctor`: schema version, integrity, key, permissions and every row's decryptability.
enum DoctorCommand {
    struct Finding {
        let check: String
        let ok: Bool
        let message: String
    }

    static func run(_ command: ParsedCommand, vault: Vault, location: VaultLocation) throws {
        var findings: [Finding] = []
        let version = try vault.schemaVersion()
        findings.append(Finding(check: "schema", ok: true, message: "schema version \(version)"))
        let problems = try vault.integrityProblems()
        findings.append(Finding(
            check: "integrity", ok: problems.isEmpty,
            message: problems.isEmpty ? "PRAGMA integrity_check: ok" : problems.prefix(20).joined(separator: "; ")))
        findings.append(Finding(check: "key", ok: true, message: "the master key opens the vault"))
        for suffix in ["", "-wal", "-shm"] {
            let path = vault.path + suffix
            guard let mode = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int else {
                continue
            }
            let ok = mode & 0o077 == 0
            findings.append(Finding(
                check: "permissions", ok: ok,
                message: "\(path) has mode \(String(mode, radix: 8))" + (ok ? "" : "; fix it with: chmod 600 \(path)")))
        }
        let unreadable = try vault.unreadableValues()
        findings.append(Finding(
            check: "rows", ok: unreadable.isEmpty,
            message: unreadable.isEmpty ? "every sealed value opens" : "\(unreadable.count) sealed values do not open"))
        for failure in unreadable { findings.append(Finding(check: "row", ok: false, message: failure.description)) }

        let ok = findings.allSatisfy(\.ok)
        if command.flag("json") {
            JSONDocuments.print([
                "ok": .bool(ok),
                "findings": .array(findings.map {
                    ["check": .string($0.check), "ok": .bool($0.ok), "message": .string($0.message)]
                }),
            ])
        } else {
            for finding in findings {
                StandardStreams.out("\(finding.ok ? "ok  " : "FAIL")  \(finding.check.padding(toLength: 12, withPad: " ", startingAt: 0))\(finding.message)\n")
            }
        }
        if !ok { throw CommandError("doctor found problems", exitCode: .failure) }
    }
}
