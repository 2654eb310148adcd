import IML

/// Applies `log.sanitize` paths (connection-spec §9) to a request/response log entry.
///
/// Paths are dot paths, case-insensitive, rooted at `request.url`, `request.headers`, `request.qs`,
/// `request.body`, `response.headers` or `response.body`; a key containing a dot is written in backticks.
/// A path naming something absent is not an error.
enum LogSanitizer {
    static func apply(_ paths: [String], to entry: inout Object) {
        for path in paths { redact(segments(path)[...], in: &entry) }
    }

    /// `request.body.`a.b`.c` → ["request", "body", "a.b", "c"].
    static func segments(_ path: String) -> [String] {
        var segments: [String] = []
        var current = ""
        var quoted = false
        for character in path {
            switch character {
            case "`": quoted.toggle()
            case "." where !quoted:
                segments.append(current)
                current = ""
            default: current.append(character)
            }
        }
        segments.append(current)
        return segments
    }

    private static func redact(_ path: ArraySlice<String>, in object: inout Object) {
        guard let first = path.first else { return }
        guard let key = object.keys.first(where: { $0.lowercased() == first.lowercased() }) else { return }
        if path.count == 1 {
            object[key] = .string(Redactor.mask)
            return
        }
        guard case .object(var inner)? = object[key] else { return }
        redact(path.dropFirst(), in: &inner)
        object[key] = .object(inner)
    }
}
