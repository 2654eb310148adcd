import IML

/// Text encodings the executor applies when it turns evaluated directives into an HTTP request.
enum RequestEncoding {
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// `encodeUrl: true`: percent-encodes every byte that may not appear in a URL, keeping existing `%XX`.
    static func encodeURL(_ url: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%".utf8)
        return percentEncode(url) { allowed.contains($0) }
    }

    /// A query or form component: everything but RFC 3986's unreserved characters is percent-encoded.
    static func encodeComponent(_ text: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        return percentEncode(text) { unreserved.contains($0) }
    }

    private static func percentEncode(_ text: String, keeping: (UInt8) -> Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if keeping(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The `key=value` pairs of a `qs` object or `urlencoded` body (connection-spec §3): `undefined` drops the
    /// key, `null` sends `key=`, an array repeats the key (skipping undefined and null), an object is compact JSON.
    static func formPairs(_ value: Value) -> [(String, String)] {
        guard case .object(let object) = value else { return [] }
        var pairs: [(String, String)] = []
        for key in object.keys {
            switch object[key] ?? .undefined {
            case .undefined: continue
            case .null: pairs.append((key, ""))
            case .array(let elements):
                for element in elements {
                    switch element {
                    case .undefined, .null: continue
                    default: pairs.append((key, element.text))
                    }
                }
            case let member: pairs.append((key, member.text))
            }
        }
        return pairs
    }

    /// Pairs encoded as `a=1&b=2`.
    static func formEncoded(_ pairs: [(String, String)]) -> String {
        pairs.map { encodeComponent($0.0) + "=" + encodeComponent($0.1) }.joined(separator: "&")
    }

    /// `url` with `query` appended to its own query (before any fragment).
    static func appendQuery(_ query: String, to url: String) -> String {
        guard !query.isEmpty else { return url }
        var base = url
        var fragment = ""
        if let hash = url.firstIndex(of: "#") {
            base = String(url[..<hash])
            fragment = String(url[hash...])
        }
        let separator = !base.contains("?") ? "?" : (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&")
        return base + separator + query + fragment
    }

    /// `x-api-key` → `X-Api-Key`: each dash-separated word capitalised.
    static func headerName(_ name: String) -> String {
        name.lowercased().split(separator: "-", omittingEmptySubsequences: false)
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
    }
}
