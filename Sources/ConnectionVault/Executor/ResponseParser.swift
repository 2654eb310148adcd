import Foundation
import IML

/// Parses a response body per `response.type` (connection-spec §4), and builds the `headers` variable.
enum ResponseParser {
    /// A body that does not parse as its declared type: the run ends `unreachable`.
    struct Failure: Error, Sendable {
        let expected: String
        var message: String { "the response body could not be parsed as \(expected)" }
    }

    /// The parse type for `status`: a plain type, or the narrowest status pattern that matches.
    static func type(for declared: Value?, status: Int) -> String {
        switch declared {
        case .string(let type)?: return type
        case .object(let byStatus)?:
            let matches = byStatus.keys.compactMap { key -> (StatusPattern, String)? in
                guard let pattern = StatusPattern(key), pattern.range.contains(status),
                    let type = byStatus[key]?.stringValue
                else { return nil }
                return (pattern, type)
            }
            return matches.min { $0.0.width < $1.0.width }?.1 ?? "automatic"
        default: return "automatic"
        }
    }

    /// The parsed body; an empty body is Undefined whatever the type.
    static func parse(_ body: [UInt8], type: String, contentType: String?) throws(Failure) -> Value {
        guard !body.isEmpty else { return .undefined }
        switch type {
        case "json": return try json(body)
        case "urlencoded": return urlencoded(body)
        case "text", "string", "raw": return .string(String(decoding: body, as: UTF8.self))
        case "binary": return .binary(body)
        case "xml": return try xml(body)
        default:
            let media = mediaType(contentType)
            if media == "application/json" || media.hasSuffix("+json") { return try json(body) }
            if media == "application/x-www-form-urlencoded" { return urlencoded(body) }
            if media == "application/xml" || media == "text/xml" || media.hasSuffix("+xml") { return try xml(body) }
            return .string(String(decoding: body, as: UTF8.self))
        }
    }

    private static func json(_ body: [UInt8]) throws(Failure) -> Value {
        do { return try Value(parsingJSON: body) } catch { throw Failure(expected: "json") }
    }

    private static func urlencoded(_ body: [UInt8]) -> Value {
        var object = Object()
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            let key = decode(parts[0])
            let value = Value.string(parts.count > 1 ? decode(parts[1]) : "")
            switch object[key] {
            case nil: object[key] = value
            case .array(let existing)?: object[key] = .array(existing + [value])
            case let existing?: object[key] = .array([existing, value])
            }
        }
        return .object(object)
    }

    private static func xml(_ body: [UInt8]) throws(Failure) -> Value {
        guard let parsed = XMLBody.parse(body) else { throw Failure(expected: "xml") }
        return parsed
    }

    /// The `headers` variable: lower-case names; repeats joined with ", " except `set-cookie`, an array.
    static func headers(_ fields: [HTTPHeader]) -> Object {
        var object = Object()
        for field in fields {
            let name = HTTPSyntax.lowercased(field.name)
            switch (name, object[name]) {
            case ("set-cookie", .array(let cookies)?): object[name] = .array(cookies + [.string(field.value)])
            case ("set-cookie", _): object[name] = .array([.string(field.value)])
            case (_, .string(let joined)?): object[name] = .string(joined + ", " + field.value)
            default: object[name] = .string(field.value)
            }
        }
        object.ignoresKeyCase = true
        return object
    }

    /// The media type of a `Content-Type` value, lower-cased, without parameters or surrounding blanks.
    static func mediaType(_ contentType: String?) -> String {
        guard let utf8 = contentType?.utf8 else { return "" }
        let end = utf8.firstIndex(of: UInt8(ascii: ";")) ?? utf8.endIndex
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = utf8[..<end].firstIndex(where: { !isBlank($0) }),
            let last = utf8[..<end].lastIndex(where: { !isBlank($0) })
        else { return "" }
        return HTTPSyntax.lowercased(String(decoding: utf8[first...last], as: UTF8.self))
    }
}
