import Foundation
import IML

/// Removes secret values and their derived forms from any text the vault shows (connection-spec §9).
///
/// Secrets are every value of a `password`-type parameter and every value of the type's common data (numbers by
/// their text form); derived forms are base64 of `user:secret` and of the secret itself, the secret as a JSON
/// string holds it (escaped), and every percent-encoded form a URL may carry
/// (``RequestEncoding/percentEncodedForms(of:)``). Each occurrence prints as `<redacted>`, in text, in object keys,
/// and in binary values (which then print as `<redacted>` whole).
struct Redactor: Sendable {
    static let mask = "<redacted>"
    /// Longest first (in UTF-8 bytes). Redaction masks overlapping matches as one, whatever the order.
    private(set) var secrets: [String] = []

    init(spec: ConnectionSpec, parameters: Object, common: Object) {
        var found: Set<String> = []
        var passwords: [String] = []
        for parameter in spec.parameters where parameter.isSecret {
            if let value = parameters[parameter.name], let text = Self.secretText(value) {
                found.insert(text)
                passwords.append(text)
            }
        }
        Self.collect(.object(common), into: &found)
        let users = parameters.keys.compactMap { name -> String? in
            spec.parameter(named: name)?.isSecret == true ? nil : parameters[name]?.stringValue
        }
        for secret in Array(found) {
            found.insert(Base64.encodedString(secret.utf8))
            found.formUnion(Self.encodedForms(of: secret))
        }
        for password in passwords {
            for user in users { found.insert(Base64.encodedString("\(user):\(password)".utf8)) }
        }
        // Longest first by UTF-8 length, which a `String` knows without counting characters.
        secrets = found.filter { !$0.isEmpty }.sorted { $0.utf8.count > $1.utf8.count }
    }

    /// The forms the executor's encoders give `secret`: in a JSON string (escaped) and percent-encoded in URLs and
    /// form bodies. `secret` itself included.
    private static func encodedForms(of secret: String) -> [String] {
        let json = Value.string(secret).compactJSON()
        return [secret, String(json.dropFirst().dropLast())] + RequestEncoding.percentEncodedForms(of: secret)
    }

    /// The secrets an `Authorization` value holds: the whole value, its credentials after the scheme (`Basic`'s
    /// base64 alone), and a Digest value's `response` hash (which allows guessing the password offline). None for a
    /// scheme without credentials (`Bearer` with an empty token): redacting it would blank out the word everywhere.
    static func authorizationSecrets(_ value: String) -> [String] {
        let bytes = value.utf8
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")) else { return [] }
        let credentials = String(value[bytes.index(after: space)...])
        guard credentials.utf8.count >= minimumDerivedLength else { return [] }
        var parts = [value, credentials]
        if value.utf8.starts(with: "Digest ".utf8), let start = value.range(of: "response=\"")?.upperBound,
            let end = value[start...].firstIndex(of: "\"")
        {
            parts.append(String(value[start..<end]))
        }
        return parts
    }

    /// The shortest value ``add(_:)`` redacts, in UTF-8 bytes: a field's `"2"` or an `auth` password `"X"` (an
    /// API key as user name, as Freshdesk asks) would blank out that character in every message.
    static let minimumDerivedLength = 3

    /// Adds a secret value (e.g. a header value built from one), its base64 and its encoded forms, to redact from
    /// now on; a value shorter than ``minimumDerivedLength`` is left out.
    mutating func add(_ value: String) {
        guard value.utf8.count >= Self.minimumDerivedLength else { return }
        for form in Self.encodedForms(of: value) + [Base64.encodedString(value.utf8)] where !form.isEmpty {
            guard !secrets.contains(form) else { continue }
            let length = form.utf8.count
            secrets.insert(form, at: secrets.firstIndex { $0.utf8.count < length } ?? secrets.endIndex)
        }
    }

    /// The text with every secret replaced by `<redacted>`.
    ///
    /// Every occurrence of every secret is found in the text as given, and overlapping ones are masked as one: two
    /// secrets that overlap without either containing the other (`abcdef` and `defghi` in `abcdefghi`) leave
    /// nothing of either. Matches UTF-8 bytes with `memchr` and `memcmp`: Foundation's `contains` and
    /// `replacingOccurrences` bridge through NSString and cost a third of a revalidation's CPU, since every log
    /// entry is redacted. Both sides are valid UTF-8, so a match starts and ends on scalar boundaries.
    func redact(_ text: String) -> String {
        var text = text
        let redacted = text.withUTF8 { bytes -> [UInt8]? in
            let hay = UnsafeRawBufferPointer(bytes)
            var found: [Range<Int>] = []
            for secret in secrets {
                Self.forEachOccurrence(of: secret, in: hay) { found.append($0); return true }
            }
            guard !found.isEmpty else { return nil }
            found.sort { $0.lowerBound < $1.lowerBound }
            var result: [UInt8] = []
            result.reserveCapacity(hay.count)
            var copied = 0  // hay[..<copied] is in result
            var masked = found[0]
            for range in found.dropFirst() {
                if range.lowerBound < masked.upperBound {
                    masked = masked.lowerBound..<max(masked.upperBound, range.upperBound)
                    continue
                }
                result.append(contentsOf: hay[copied..<masked.lowerBound])
                result.append(contentsOf: Self.mask.utf8)
                copied = masked.upperBound
                masked = range
            }
            result.append(contentsOf: hay[copied..<masked.lowerBound])
            result.append(contentsOf: Self.mask.utf8)
            result.append(contentsOf: hay[masked.upperBound...])
            return result
        }
        return redacted.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    private static func occurs(_ needle: String, in hay: UnsafeRawBufferPointer) -> Bool {
        var found = false
        forEachOccurrence(of: needle, in: hay) { _ in
            found = true
            return false
        }
        return found
    }

    /// Calls `body` with the byte range of each occurrence of `needle` in `hay`, overlapping ones included, until it
    /// returns false.
    private static func forEachOccurrence(
        of needle: String, in hay: UnsafeRawBufferPointer, _ body: (Range<Int>) -> Bool
    ) {
        var needle = needle
        needle.withUTF8 { needle in
            guard let first = needle.first, needle.count <= hay.count, let base = hay.baseAddress else { return }
            var position = 0  // where the search goes on
            while hay.count - position >= needle.count,
                let hit = memchr(base + position, Int32(first), hay.count - position - needle.count + 1)
            {
                let offset = base.distance(to: UnsafeRawPointer(hit))
                position = offset + 1
                if memcmp(base + offset, needle.baseAddress!, needle.count) == 0,
                    !body(offset..<(offset + needle.count))
                {
                    return
                }
            }
        }
    }

    /// A value with every string in it redacted, object keys included; binary data holding a secret becomes
    /// `<redacted>` whole (it prints as base64, where a secret at any offset would not show as its own base64).
    func redact(_ value: Value) -> Value {
        switch value {
        case .string(let text): .string(redact(text))
        case .array(let elements): .array(elements.map(redact))
        case .object(let object): .object(Object(object.map { (redact($0.key), redact($0.value)) }))
        case .binary(let bytes):
            bytes.withUnsafeBytes { hay in secrets.contains { Self.occurs($0, in: hay) } } ? .string(Self.mask) : value
        default: value
        }
    }

    private static func secretText(_ value: Value) -> String? {
        switch value {
        case .string(let text): text
        case .number: value.text
        default: nil
        }
    }

    private static func collect(_ value: Value, into found: inout Set<String>) {
        switch value {
        case .object(let object): for key in object.keys { collect(object[key] ?? .undefined, into: &found) }
        case .array(let elements): for element in elements { collect(element, into: &found) }
        case .string(let text): found.insert(text)
        case .number:
            let text = value.text
            if text.utf8.count >= 3 { found.insert(text) }  // "0" or "42" would hide every digit of every message
        default: break
        }
    }
}
