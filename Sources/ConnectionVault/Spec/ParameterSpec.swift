public import IML

/// One entry of a spec's `parameters` array (connection-spec §5).
public struct ParameterSpec: Sendable, Hashable {
    /// The parameter types the vault validates.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case text, password, number, integer, uinteger, boolean, select, email, url, uuid, port, date, json, hidden
        case array, collection, cert, pkey, buffer, filename, path, timezone, time, color
    }

    public var name: String
    public var type: Kind
    public var label: String?
    public var required: Bool
    /// The value a parameter that is not given takes.
    public var defaultValue: Value?
    /// False when the stored value may not change on update.
    public var editable: Bool
    /// The `validate` rules, as written (`{min, max, pattern, minItems, maxItems}`, or `false` for select).
    public var validate: Value?
    /// The allowed values of a `select`.
    public var options: [Value]

    /// Whether the value is a secret (never printed, masked when prompted, redacted in logs).
    public var isSecret: Bool { type == .password }
}
