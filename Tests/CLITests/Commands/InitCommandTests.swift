import ConnectionVault
import Foundation
import Testing
import TestSupport

@Suite("connvault init, --help, --version")
struct InitCommandTests {
    let connvault = CommandRunner(product: "connvault")

    /// A home of its own: XDG folders inside a temporary directory.
    struct Home {
        let directory = TemporaryDirectory()
        var environment: [String: String] {
            ["HOME": directory.path, "XDG_DATA_HOME": directory.file("data"), "XDG_CONFIG_HOME": directory.file("config")]
        }
        var vault: String { directory.file("data/connvault/vault.db") }
        var keyFile: String { directory.file("config/connvault/master.key") }
    }

    func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
    }

    @Test func versionAndHelp() throws {
        let version = try connvault.run(["--version"])
        #expect(version.status == 0 && version.stdout == "0.1.0\n" && version.stderr.isEmpty)
        let help = try connvault.run(["--help"])
        #expect(help.status == 0)
        for section in ["OVERVIEW:", "USAGE: connvault <subcommand>", "OPTIONS:", "SUBCOMMANDS:", "  init ",
                        "See 'connvault help <subcommand>' for detailed help."] {
            #expect(help.stdout.contains(section), "root help lacks \(section)")
        }
        let initHelp = try connvault.run(["help", "init"])
        #expect(initHelp.status == 0 && initHelp.stdout.contains("USAGE: connvault init [--passphrase] [--key-file <path>]"))
        #expect(try connvault.run(["init", "--help"]).stdout == initHelp.stdout)
    }

    @Test func usageErrorsExit64WithTheUsageLine() throws {
        let unknown = try connvault.run(["init", "--frobnicate"])
        #expect(unknown.status == 64 && unknown.stdout.isEmpty)
        #expect(unknown.stderr.hasPrefix("Error: Unknown option '--frobnicate'"))
        #expect(unknown.stderr.contains("Usage: connvault init"))
        #expect(try connvault.run(["lst"]).status == 64)
    }

    @Test func initCreatesTheVaultAndAPrivateKeyFile() throws {
        let home = Home()
        let result = try connvault.run(["init"], environment: home.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Created vault \(home.vault)") && result.stdout.contains(home.keyFile))
        #expect(mode(home.vault) == 0o600 && mode(home.keyFile) == 0o600)
        #expect(mode(home.directory.file("data/connvault")) == 0o700 && mode(home.directory.file("config/connvault")) == 0o700)
        let key = try String(contentsOfFile: home.keyFile, encoding: .utf8)
        #expect(key.hasSuffix("\n") && Data(base64Encoded: String(key.dropLast()))?.count == 32)
        #expect(!result.stdout.contains(String(key.dropLast())) && !result.stderr.contains(String(key.dropLast())))
        _ = try Vault.open(at: home.vault, key: .keyFile(path: home.keyFile))

        let vaultBytes = try Data(contentsOf: URL(fileURLWithPath: home.vault))
        let again = try connvault.run(["init"], environment: home.environment)
        #expect(again.status == 1 && again.stderr.contains("already exists"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.vault)) == vaultBytes)
        #expect(try String(contentsOfFile: home.keyFile, encoding: .utf8) == key)
    }

    @Test func initUsesAKeyFromTheEnvironmentAndWritesNoKeyFile() throws {
        let home = Home()
        let key = TestVault.randomKeyBase64()
        let result = try connvault.run(["init", "--vault", home.directory.file("v/my.db")],
                                       environment: home.environment.merging(["CONNVAULT_KEY": key]) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.keyFile))
        _ = try Vault.open(at: home.directory.file("v/my.db"), key: .base64(key))
    }

    @Test func initWritesTheNewKeyWhereKeyFileSaysAndRefusesLooseKeyFiles() throws {
        let home = Home()
        let keyFile = home.directory.file("keys/custom.key")
        let result = try connvault.run(["init", "--key-file", keyFile], environment: home.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(mode(keyFile) == 0o600)
        _ = try Vault.open(at: home.vault, key: .keyFile(path: keyFile))

        let loose = home.directory.file("loose.key")
        try (TestVault.randomKeyBase64() + "\n").write(toFile: loose, atomically: false, encoding: .utf8)
        chmod(loose, 0o644)
        let refused = try connvault.run(["init", "--vault", home.directory.file("other.db"), "--key-file", loose],
                                        environment: home.environment)
        #expect(refused.status == 77 && refused.stderr.contains("chmod 600"))
        #expect(!FileManager.default.fileExists(atPath: home.directory.file("other.db")))
    }

    @Test func initWithAPassphrase() throws {
        let home = Home()
        let secret = "CANARY-passphrase-7f3e"
        let noPassphrase = try connvault.run(["init", "--passphrase"], environment: home.environment)
        #expect(noPassphrase.status == 77 && noPassphrase.stderr.contains("CONNVAULT_PASSPHRASE"))
        #expect(!FileManager.default.fileExists(atPath: home.vault))

        let result = try connvault.run(["init", "--passphrase"],
                                       environment: home.environment.merging(["CONNVAULT_PASSPHRASE": secret]) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
        #expect(!FileManager.default.fileExists(atPath: home.keyFile))
        var options = Vault.Options()
        options.passphraseHardness = .interactive
        #expect(throws: VaultError.self) { try Vault.open(at: home.vault, key: .passphrase("wrong")) }
        _ = try Vault.open(at: home.vault, key: .passphrase(secret))
    }
}
