/// JSON paths of values in a spec, as errors name them: `communication[1].response.metadata.value`.
public enum JSONPath {
    /// `base` followed by the member `key`: `.key` for plain names, `["key"]` otherwise.
    public static func appending(key: String, to base: String) -> String {
        let plain =
            !key.isEmpty
            && key.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || Lexer.isDigit(scalar) || scalar == "_" || scalar == "$"
                        || scalar == "-")
            }
        if plain { return base.isEmpty ? key : base + "." + key }
        return base + "[" + Value.string(key).compactJSON() + "]"
    }

    /// `base` followed by the 0-based array index `index`.
    public static func appending(index: Int, to base: String) -> String {
        base + "[\(index)]"
    }
}
