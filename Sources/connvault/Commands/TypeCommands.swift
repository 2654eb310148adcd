import ConnectionVault
import IML

/// `types import|list|show` and `common set|show`.
enum TypeCommands {
    /// Checks every path first, then imports: a bad spec anywhere imports nothing.
    static func importTypes(_ command: ParsedCommand, vault: Vault) throws {
        var specs: [ConnectionSpec] = []
        var skipped: [String] = []
        for path in command.strings("path") {
            let loaded = try SpecLoader.load(path: path)
            specs += loaded.specs
            skipped += loaded.skipped
        }
        for spec in specs {
            let type = try vault.importType(name: spec.name, label: spec.label, spec: spec.storedSpec)
            if !spec.common.isEmpty { try vault.setCommonData(spec.common, forType: spec.name) }
            StandardStreams.out("Imported \(type.name) (\(type.label)), version \(type.version)\n")
            for warning in spec.warnings { StandardStreams.error("Warning: \(spec.name): \(warning)\n") }
        }
        for name in skipped { StandardStreams.out("Skipped \(name): OAuth connections are not basic connections\n") }
    }

    static func list(_ command: ParsedCommand, vault: Vault) throws {
        let types = try vault.types()
        if command.flag("json") { return JSONDocuments.print(.array(types.map { JSONDocuments.type($0) })) }
        var table = Table("NAME", "LABEL", "VERSION", "CONNECTIONS", "IMPORTED")
        for type in types {
            table.add(type.name, type.label, String(type.version), String(type.connectionCount),
                      RelativeTime.describe(type.importedAt))
        }
        StandardStreams.out(table.text)
    }

    static func show(_ command: ParsedCommand, vault: Vault) throws {
        let type = try vault.type(named: command.string("name") ?? "")
        if command.flag("json") { return JSONDocuments.print(JSONDocuments.type(type, withSpec: true)) }
        StandardStreams.out(
            """
            Name:         \(type.name)
            Label:        \(type.label)
            Version:      \(type.version)
            Imported:     \(RelativeTime.describe(type.importedAt))
            Connections:  \(type.connectionCount)
            Spec:         \(type.spec.compactJSON())

            """)
    }

    static func setCommon(_ command: ParsedCommand, vault: Vault) throws {
        let type = command.string("type") ?? ""
        let bytes = try readInput(command.string("file") ?? "-", what: "the common data")
        guard case .object(let common)? = try? Value(parsingJSONC: bytes) else {
            throw CommandError("the common data must be a JSON object", exitCode: .badInput)
        }
        try vault.setCommonData(common, forType: type)
        StandardStreams.out("Set the common data of \(type) (\(common.count) keys)\n")
    }

    static func showCommon(_ command: ParsedCommand, vault: Vault) throws {
        let type = command.string("type") ?? ""
        let common = try vault.commonData(forType: type)
        let reveal = command.flag("reveal")
        if command.flag("json") {
            var object: Object = ["type": .string(type), "keys": .array(common.keys.map(Value.string))]
            if reveal { object["data"] = .object(common) }
            return JSONDocuments.print(.object(object))
        }
        var table = Table("KEY", "VALUE")
        for key in common.keys { table.add(key, reveal ? (common[key] ?? .null).compactJSON() : "<redacted>") }
        StandardStreams.out(table.text)
    }
}
