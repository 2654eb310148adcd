extension Value {
    /// The compact JSON text of the value (iml.md §1.2), as JavaScript's `JSON.stringify` writes it.
    ///
    /// Object members whose value is Undefined are omitted; Undefined array elements, `NaN` and infinities are
    /// written `null`; a Date is its ISO text and Binary its base64. A top-level Undefined, which has no JSON
    /// form, is written `null`; use ``compactJSONIfDefined()`` to tell it apart.
    public func compactJSON() -> String {
        var writer = JSONWriter()
        writer.write(self)
        return writer.text
    }

    /// The compact JSON text of the value, or `nil` for Undefined.
    public func compactJSONIfDefined() -> String? {
        if case .undefined = self { return nil }
        return compactJSON()
    }

    /// The compact JSON of the value as UTF-8 bytes (Undefined as `null`).
    public func compactJSONBytes() -> [UInt8] {
        var writer = JSONWriter()
        writer.write(self)
        return writer.bytes
    }

    /// Appends `text` as a JSON string, quoted and escaped exactly as ``compactJSON()`` writes strings: for writers
    /// that stream a long document in pieces instead of building it as a `Value`.
    public static func appendJSONString(_ text: String, to bytes: inout [UInt8]) {
        var writer = JSONWriter(capacity: 0)
        swap(&writer.bytes, &bytes)
        defer { swap(&writer.bytes, &bytes) }
        writer.writeString(text)
    }
}

/// Writes compact JSON into a byte buffer.
struct JSONWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 64) {
        bytes.reserveCapacity(capacity)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func write(_ value: Value) {
        switch value {
        case .undefined, .null:
            bytes.append(contentsOf: "null".utf8)
        case .bool(let flag):
            bytes.append(contentsOf: flag ? "true".utf8 : "false".utf8)
        case .number(let number):
            writeNumber(number)
        case .string(let text):
            writeString(text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in object {
                if case .undefined = member { continue }
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeString(key)
                bytes.append(UInt8(ascii: ":"))
                write(member)
            }
            bytes.append(UInt8(ascii: "}"))
        case .date(let instant):
            bytes.append(UInt8(ascii: "\""))
            instant.appendISOText(to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        case .binary(let data):
            bytes.append(UInt8(ascii: "\""))
            Base64.encode(data, into: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    mutating func writeNumber(_ number: Number) {
        if let digits = number.exactDigits {
            bytes.append(contentsOf: digits.text.utf8)
        } else if number.double.isFinite {
            NumberFormatting.appendJavaScriptText(number.double, to: &bytes)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
    }

    mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var utf8 = text
        utf8.withUTF8 { buffer in
            var runStart = 0
            for position in 0..<buffer.count {
                let byte = buffer[position]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < position {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<position]))
                }
                runStart = position + 1
                appendEscape(byte)
            }
            if runStart < buffer.count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart...]))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0x0F)])
        }
    }
}
