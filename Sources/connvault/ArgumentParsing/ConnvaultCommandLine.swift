/// The `connvault` command tree of `cli.md`: every command, argument, option and flag, with help texts.
///
/// Argument names are the keys for ``ParsedCommand`` lookups (`parsed.strings("param")`). Commands that
/// reach the vault also take ``vaultOptions``. Rules spanning arguments live in `validate` hooks.
enum ConnvaultCommandLine {
    /// The root command, `connvault`, reporting `version` for `--version`.
    static func root(version: String) -> CommandSpec {
        CommandSpec(
            "connvault",
            abstract: "Keep API connections and their credentials in an encrypted vault.",
            version: version,
            subcommands: [
                initCommand, types, common, add, list, show, revalidate, update, rename, remove, history, find, key,
                export, importCommand, doctor, eval,
            ])
    }

    /// `--vault PATH` and `--key-file PATH`, taken by every command that opens the vault.
    static let vaultOptions: [ArgumentSpec] = [
        .option("vault", valueName: "path", help: "The vault file (overrides $CONNVAULT_PATH)."),
        .option("key-file", valueName: "path", help: "A file holding the master key."),
    ]

    static let json = ArgumentSpec.flag("json", help: "Print JSON.")
    static let reveal = ArgumentSpec.flag("reveal", help: "Include secret values.")
    static let connectionID = ArgumentSpec.positional("id", help: "The connection id or a unique prefix.")
    static let params = ArgumentSpec.option(
        "param", .zeroOrMore, valueName: "name=value",
        help: "A parameter value; NAME=@FILE reads it from a file, NAME=@- from standard input.")
    static let paramsFile = ArgumentSpec.option(
        "params-file", valueName: "file", help: "A JSON object of parameters ('-' for standard input).")

    static let initCommand = CommandSpec(
        "init",
        abstract: "Create a vault and its master key.",
        arguments: [
            .flag("passphrase", help: "Derive the master key from a passphrase."),
            .option("key-file", valueName: "path", help: "Use this key file, or write the new key there."),
            vaultOptions[0],
        ])

    static let types = CommandSpec(
        "types",
        abstract: "Import and inspect connection types.",
        subcommands: [
            CommandSpec(
                "import",
                abstract: "Import connection types.",
                arguments: [
                    .positional(
                        "path", .oneOrMore, help: "A spec file, a connection folder or a Make app folder.")
                ] + vaultOptions),
            CommandSpec("list", abstract: "List the connection types.", arguments: [json] + vaultOptions),
            CommandSpec(
                "show", abstract: "Show a connection type.",
                arguments: [.positional("name", help: "The connection type's name."), json] + vaultOptions),
        ])

    static let common = CommandSpec(
        "common",
        abstract: "Manage the data shared by every connection of a type.",
        subcommands: [
            CommandSpec(
                "set",
                abstract: "Set the common data of a connection type.",
                arguments: [
                    .positional("type", help: "The connection type."),
                    .positional("input", .optional, help: "'-' to read the JSON object from standard input."),
                    .option("file", valueName: "file", help: "A file holding the JSON object."),
                ] + vaultOptions,
                validate: { command in
                    switch (command.string("input"), command.string("file")) {
                    case (nil, nil): throw UsageError("Give the data with --file <file> or '-'.")
                    case (let input?, _) where input != "-": throw UsageError(.unexpectedArguments([input]))
                    case (_?, _?): throw UsageError("Give either --file <file> or '-', not both.")
                    default: break
                    }
                }),
            CommandSpec(
                "show",
                abstract: "Show the common data of a connection type.",
                arguments: [.positional("type", help: "The connection type."), reveal, json] + vaultOptions),
        ])

    static let add = CommandSpec(
        "add",
        abstract: "Add a connection and verify it.",
        arguments: [
            .positional("type", help: "The connection type."),
            .option("name", valueName: "name", help: "The connection's name."),
            params, paramsFile,
            .flag("no-verify", help: "Store the connection unverified."),
            json,
        ] + vaultOptions)

    static let list = CommandSpec(
        "list",
        abstract: "List connections.",
        arguments: [
            .option("type", valueName: "type", help: "Only connections of this type."),
            .option("status", valueName: "status", help: "Only connections with this status."),
            json,
        ] + vaultOptions)

    static let show = CommandSpec(
        "show", abstract: "Show a connection.", arguments: [connectionID, reveal, json] + vaultOptions)

    static let revalidate = CommandSpec(
        "revalidate",
        abstract: "Verify connections again.",
        arguments: [
            .positional("id", .zeroOrMore, help: "The connection id or a unique prefix."),
            .flag("all", help: "Every connection."),
            .flag("due", help: "Connections about to expire or not checked lately."),
            .option(
                "within", valueName: "duration", type: .duration, default: "10m",
                help: "With --due: expiring within this duration."),
            .option(
                "older-than", valueName: "duration", type: .duration, default: "24h",
                help: "With --due: last verified longer ago than this."),
            .option("type", valueName: "type", help: "Only connections of this type."),
            .option(
                // Each request in flight holds a socket: 512 stays well within the usual limit of 1,024 open files.
                "concurrency", valueName: "n", type: .integer(in: 1...512), default: "8",
                help: "The most requests in flight (1 to 512)."),
            json,
            .flag("log", help: "Print each run's redacted log to standard error."),
        ] + vaultOptions,
        validate: { command in
            let choices = [!command.strings("id").isEmpty, command.flag("all"), command.flag("due")]
            switch choices.filter({ $0 }).count {
            case 0: throw UsageError("Give connection ids, --all or --due.")
            case 1: break
            default: throw UsageError("Give connection ids, --all or --due, not more than one of them.")
            }
            for option in ["within", "older-than"] where command.isGiven(option) && !command.flag("due") {
                throw UsageError("--\(option) is only valid with --due.")
            }
        })

    static let update = CommandSpec(
        "update",
        abstract: "Change a connection's parameters or name.",
        arguments: [
            connectionID, params, paramsFile,
            .option("name", valueName: "name", help: "The connection's new name."),
            json,
        ] + vaultOptions)

    static let rename = CommandSpec(
        "rename",
        abstract: "Rename a connection.",
        arguments: [connectionID, .positional("name", help: "The new name.")] + vaultOptions)

    static let remove = CommandSpec(
        "remove",
        abstract: "Remove connections.",
        arguments: [
            .positional("id", .oneOrMore, help: "The connection id or a unique prefix."),
            .flag("yes", help: "Do not ask for confirmation."),
        ] + vaultOptions)

    static let history = CommandSpec(
        "history",
        abstract: "Show a connection's verification history.",
        arguments: [
            connectionID,
            .option("limit", valueName: "n", type: .integer(atLeast: 0), help: "Show only the newest N entries."),
            json,
        ] + vaultOptions)

    static let find = CommandSpec(
        "find",
        abstract: "Find connections by the account they belong to.",
        arguments: [
            .option("uid", .required, valueName: "uid", help: "The account's uid."),
            .option("type", valueName: "type", help: "Only connections of this type."),
            json,
        ] + vaultOptions)

    static let key = CommandSpec(
        "key",
        abstract: "Manage the vault's keys.",
        subcommands: [
            CommandSpec(
                "rotate", abstract: "Re-encrypt every secret under fresh data keys.", arguments: vaultOptions),
            CommandSpec(
                "change-master",
                abstract: "Protect the vault with a new master key.",
                arguments: [
                    .flag("passphrase", help: "Derive the new master key from a passphrase."),
                    .option("key-file", valueName: "path", help: "Write the new master key to this file."),
                    vaultOptions[0],
                ]),
        ])

    static let export = CommandSpec(
        "export",
        abstract: "Write an encrypted archive of the vault.",
        arguments: [.option("out", .required, valueName: "file", help: "The archive to write.")] + vaultOptions)

    static let importCommand = CommandSpec(
        "import",
        abstract: "Read back an archive written by export.",
        arguments: [.positional("file", help: "The archive to read.")] + vaultOptions)

    static let doctor = CommandSpec(
        "doctor", abstract: "Check the vault and report each finding.", arguments: [json] + vaultOptions)

    static let eval = CommandSpec(
        "eval",
        abstract: "Evaluate an IML template and print the result as JSON.",
        arguments: [
            .positional("template", help: "A JSON document, or the text of one template."),
            .option("context", valueName: "file", help: "The context object as JSON ('-' for standard input)."),
        ])
}

extension ArgumentSpec.ValueType {
    /// A duration such as `90s`, `10m`, `24h` or `7d`.
    static let duration = Self(hint: "expected a duration like 90s, 10m, 24h or 7d") { value in
        guard let unit = value.last, "smhd".contains(unit) else { return false }
        let number = value.dropLast()
        return !number.isEmpty && number.allSatisfy(\.isASCII) && number.allSatisfy(\.isNumber)
    }
}
