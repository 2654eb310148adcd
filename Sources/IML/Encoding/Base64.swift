/// Base64 encoding and decoding (RFC 4648), standard and URL-safe alphabets.
package enum Base64 {
    private static let standardAlphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlAlphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Appends the base64 of `data` to `out`; `urlSafe` selects the URL alphabet without padding.
    static func encode(_ data: some Collection<UInt8>, into out: inout [UInt8], urlSafe: Bool = false) {
        let alphabet = urlSafe ? urlAlphabet : standardAlphabet
        out.reserveCapacity(out.count + (data.count + 2) / 3 * 4)
        var iterator = data.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let chunk = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            out.append(alphabet[Int(chunk >> 18 & 0x3F)])
            out.append(alphabet[Int(chunk >> 12 & 0x3F)])
            if second != nil {
                out.append(alphabet[Int(chunk >> 6 & 0x3F)])
            } else if !urlSafe {
                out.append(UInt8(ascii: "="))
            }
            if third != nil {
                out.append(alphabet[Int(chunk & 0x3F)])
            } else if !urlSafe {
                out.append(UInt8(ascii: "="))
            }
        }
    }

    /// The base64 text of `data`.
    package static func encodedString(_ data: some Collection<UInt8>, urlSafe: Bool = false) -> String {
        if let text = data.withContiguousStorageIfAvailable({ encodedString(buffer: $0, urlSafe: urlSafe) }) {
            return text
        }
        var out: [UInt8] = []
        encode(data, into: &out, urlSafe: urlSafe)
        return String(decoding: out, as: UTF8.self)
    }

    /// The base64 text of contiguous bytes, written straight into the string's storage.
    private static func encodedString(buffer: UnsafeBufferPointer<UInt8>, urlSafe: Bool) -> String {
        let count = buffer.count
        let fullGroups = count / 3
        let remainder = count % 3
        let length = fullGroups * 4 + (remainder == 0 ? 0 : (urlSafe ? remainder + 1 : 4))
        guard length > 0 else { return "" }
        let alphabet = urlSafe ? urlAlphabet : standardAlphabet
        return alphabet.withUnsafeBufferPointer { table in
            String(unsafeUninitializedCapacity: length) { out in
                var input = 0
                var output = 0
                for _ in 0..<fullGroups {
                    let chunk = UInt32(buffer[input]) << 16 | UInt32(buffer[input + 1]) << 8 | UInt32(buffer[input + 2])
                    out[output] = table[Int(chunk >> 18 & 0x3F)]
                    out[output + 1] = table[Int(chunk >> 12 & 0x3F)]
                    out[output + 2] = table[Int(chunk >> 6 & 0x3F)]
                    out[output + 3] = table[Int(chunk & 0x3F)]
                    input += 3
                    output += 4
                }
                if remainder > 0 {
                    let second = remainder == 2 ? UInt32(buffer[input + 1]) : 0
                    let chunk = UInt32(buffer[input]) << 16 | second << 8
                    out[output] = table[Int(chunk >> 18 & 0x3F)]
                    out[output + 1] = table[Int(chunk >> 12 & 0x3F)]
                    output += 2
                    if remainder == 2 {
                        out[output] = table[Int(chunk >> 6 & 0x3F)]
                        output += 1
                    } else if !urlSafe {
                        out[output] = UInt8(ascii: "=")
                        output += 1
                    }
                    if !urlSafe {
                        out[output] = UInt8(ascii: "=")
                        output += 1
                    }
                }
                return output
            }
        }
    }

    /// Decodes standard or URL-safe base64; padding is optional and ASCII whitespace is ignored. Returns `nil`
    /// for any other character, misplaced padding, or a dangling single character.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3 + 2)
        var accumulator: UInt32 = 0
        var pending = 0
        var paddingSeen = 0
        for byte in text {
            let sextet: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextet = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): sextet = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sextet = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): sextet = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): sextet = 63
            case UInt8(ascii: "="):
                paddingSeen += 1
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0C:
                continue
            default:
                return nil
            }
            if paddingSeen > 0 { return nil }
            accumulator = accumulator << 6 | UInt32(sextet)
            pending += 1
            if pending == 4 {
                out.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                out.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                out.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator = 0
                pending = 0
            }
        }
        switch pending {
        case 0: break
        case 2:
            out.append(UInt8(truncatingIfNeeded: accumulator >> 4))
        case 3:
            out.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            out.append(UInt8(truncatingIfNeeded: accumulator >> 2))
        default:
            return nil
        }
        if paddingSeen > 2 { return nil }
        return out
    }
}
