import IML

/// Text encodings the executor applies when it turns evaluated directives into an HTTP request.
enum RequestEncoding {
    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
    private static let lowercaseHex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `encodeUrl: true`: percent-encodes every byte that may not appear in a URL, keeping existing `%XX`.
    static func encodeURL(_ url: String) -> String {
        percentEncode(url, keeping: urlBytes)
    }

    /// A query or form component: everything but RFC 3986's unreserved characters is percent-encoded.
    static func encodeComponent(_ text: String) -> String {
        percentEncode(text, keeping: unreservedBytes)
    }

    /// Every form `text` takes when a URL or form body carries it percent-encoded (redaction looks for each): this
    /// executor's URL (`encodeUrl`) and query and form encodings, IML's `encodeURL` (JavaScript's
    /// `encodeURIComponent`), Foundation's `alphanumerics` and `urlQueryAllowed` sets, and HTML forms' encoding (a
    /// space as `+`), which other clients and servers use — each with upper- and lower-case hex digits. Duplicates
    /// included; `text` itself only when an encoding leaves it as it is.
    static func percentEncodedForms(of text: String) -> [String] {
        [hex, lowercaseHex].flatMap { digits in
            [unreservedBytes, urlBytes, scriptComponentBytes, alphanumericBytes, queryBytes].map {
                percentEncode(text, keeping: $0, digits: digits)
            } + [percentEncode(text, keeping: htmlFormBytes, digits: digits, spaceAsPlus: true)]
        }
    }

    /// Which bytes each encoding keeps, indexed by byte (tables: a `Set` built per call cost more than the request).
    /// Every byte of a non-ASCII character is encoded.
    private static let alphanumericBytes = byteTable(keepingAlphanumericsAnd: "")
    private static let unreservedBytes = byteTable(keepingAlphanumericsAnd: "-._~")
    private static let scriptComponentBytes = byteTable(keepingAlphanumericsAnd: "-_.!~*'()")
    private static let htmlFormBytes = byteTable(keepingAlphanumericsAnd: "*-._")
    private static let queryBytes = byteTable(keepingAlphanumericsAnd: "-._~!$&'()*+,;=:@/?")
    private static let urlBytes = byteTable(keepingAlphanumericsAnd: "-._~:/?#[]@!$&'()*+,;=%")

    /// A table keeping ASCII letters and digits and the bytes of `others`.
    private static func byteTable(keepingAlphanumericsAnd others: String) -> [Bool] {
        var table = [Bool](repeating: false, count: 256)
        for byte in ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + others).utf8 {
            table[Int(byte)] = true
        }
        return table
    }

    /// `text` with every byte `table` does not keep written `%XX` in `digits` (a space as `+` when `spaceAsPlus`).
    private static func percentEncode(
        _ text: String, keeping table: [Bool], digits: [UInt8] = hex, spaceAsPlus: Bool = false
    ) -> String {
        var text = text
        let encoded = text.withUTF8 { bytes in
            table.withUnsafeBufferPointer { keeps -> String? in
                guard let first = bytes.firstIndex(where: { !keeps[Int($0)] }) else { return nil }
                return String(unsafeUninitializedCapacity: first + (bytes.count - first) * 3) { output in
                    var count = output.initialize(fromContentsOf: bytes[..<first])
                    for byte in bytes[first...] {
                        if keeps[Int(byte)] {
                            output[count] = byte
                            count += 1
                        } else if spaceAsPlus, byte == UInt8(ascii: " ") {
                            output[count] = UInt8(ascii: "+")
                            count += 1
                        } else {
                            output[count] = UInt8(ascii: "%")
                            output[count + 1] = digits[Int(byte >> 4)]
                            output[count + 2] = digits[Int(byte & 0x0f)]
                            count += 3
                        }
                    }
                    return count
                }
            }
        }
        return encoded ?? text
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
        var bytes = Array(name.utf8)
        var startsWord = true
        for index in bytes.indices {
            let byte = bytes[index]
            if startsWord, byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") {
                bytes[index] = byte - 32
            } else if !startsWord, byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                bytes[index] = byte + 32
            }
            startsWord = byte == UInt8(ascii: "-")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
