import Foundation

/// Looks for canary secrets, in the forms they would take if they leaked, in files and text.
public struct SecretScan: Sendable {
    /// A secret and its name (for messages that never print the value itself).
    public struct Canary: Sendable {
        public let name: String
        public let value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// (canary name + form, the pattern's bytes).
    public let patterns: [(label: String, bytes: [UInt8])]

    /// Every canary in its plain, base64 (also of `user:secret`, as Basic auth sends it), URL-encoded and
    /// hex forms. `usernames` adds `base64(username:secret)` for each.
    public init(_ canaries: [Canary], usernames: [String] = []) {
        var patterns: [(String, [UInt8])] = []
        for canary in canaries {
            let value = canary.value
            var forms: [(String, String)] = [
                ("plain", value),
                ("base64", Data(value.utf8).base64EncodedString()),
                ("base64url", Data(value.utf8).base64EncodedString()
                    .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                    .replacingOccurrences(of: "=", with: "")),
                ("url-encoded", value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value),
                ("hex", value.utf8.map { String(format: "%02x", $0) }.joined()),
            ]
            for user in usernames {
                forms.append(("base64(\(user):secret)", Data("\(user):\(value)".utf8).base64EncodedString()))
            }
            // Base64 of the value at each of the three alignments inside a longer text (drop the edge characters
            // that depend on the neighbours), so a secret embedded in an encoded JSON document is still found.
            for shift in 0...2 {
                let encoded = Data(String(repeating: "x", count: shift).utf8 + Array(value.utf8)).base64EncodedString()
                let start = encoded.index(encoded.startIndex, offsetBy: (shift + 2) / 3 * 4)
                let end = encoded.index(encoded.endIndex, offsetBy: -4)
                if start < end { forms.append(("base64+\(shift)", String(encoded[start..<end]))) }
            }
            for (form, text) in forms { patterns.append(("\(canary.name) (\(form))", Array(text.utf8))) }
        }
        self.patterns = patterns
    }

    /// The labels of the patterns found in `bytes`.
    public func found(in bytes: some Collection<UInt8>) -> [String] {
        let data = Data(bytes)
        return patterns.filter { data.range(of: Data($0.bytes)) != nil }.map(\.label)
    }

    /// The labels found in `text`.
    public func found(in text: String) -> [String] { found(in: Array(text.utf8)) }

    /// For each of the files that exist, the labels found in it: `["vault.db-wal: apiKey (base64)", …]`.
    public func found(inFiles paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            guard let bytes = FileManager.default.contents(atPath: path) else { return [] }
            let name = URL(fileURLWithPath: path).lastPathComponent
            return found(in: bytes).map { "\(name): \($0)" }
        }
    }

    /// A vault file with its `-wal` and `-shm`.
    public static func vaultFiles(_ path: String) -> [String] { ["", "-wal", "-shm"].map { path + $0 } }
}
