/// gzip streams for tests, written by hand (Foundation on Linux has no compression): deflate with the fixed
/// Huffman code, encoding runs of a repeated byte as matches at distance 1. Enough for compressed bodies and
/// for decompression bombs (a run of zeros compresses about 160:1).
public enum Gzip {
    /// `bytes` as a gzip stream.
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        writer.blockHeader()
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            writer.literal(byte)
            var run = 0
            while index + 1 + run < bytes.count, bytes[index + 1 + run] == byte { run += 1 }
            writer.repeatPrevious(run, byte: byte)
            index += 1 + run
        }
        writer.endOfBlock()
        return wrap(writer.bytes, crc: CRC32.checksum(bytes), size: bytes.count)
    }

    /// A gzip stream that decompresses to `count` zero bytes, built without holding them.
    public static func zeros(count: Int) -> [UInt8] {
        var writer = BitWriter()
        writer.blockHeader()
        if count > 0 {
            writer.literal(0)
            writer.repeatPrevious(count - 1, byte: 0)
        }
        writer.endOfBlock()
        return wrap(writer.bytes, crc: CRC32.zeros(count), size: count)
    }

    private static func wrap(_ deflate: [UInt8], crc: UInt32, size: Int) -> [UInt8] {
        var stream: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]
        stream += deflate
        for shift in stride(from: 0, to: 32, by: 8) { stream.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
        let isize = UInt32(truncatingIfNeeded: size)
        for shift in stride(from: 0, to: 32, by: 8) { stream.append(UInt8(truncatingIfNeeded: isize >> UInt32(shift))) }
        return stream
    }
}

/// Deflate's bit packing (RFC 1951 §3.1.1) with the fixed Huffman code (§3.2.6).
private struct BitWriter {
    var bytes: [UInt8] = []
    private var accumulator: UInt64 = 0
    private var count = 0

    /// Appends `length` bits of `value`, least significant first.
    mutating func bits(_ value: UInt32, _ length: Int) {
        accumulator |= UInt64(value) << UInt64(count)
        count += length
        while count >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: accumulator))
            accumulator >>= 8
            count -= 8
        }
    }

    /// Appends a Huffman code, most significant bit first.
    mutating func code(_ value: UInt32, _ length: Int) {
        var reversed: UInt32 = 0
        for bit in 0..<length { reversed |= ((value >> UInt32(bit)) & 1) << UInt32(length - 1 - bit) }
        bits(reversed, length)
    }

    mutating func symbol(_ symbol: Int) {
        switch symbol {
        case 0...143: code(UInt32(0x30 + symbol), 8)
        case 144...255: code(UInt32(0x190 + symbol - 144), 9)
        case 256...279: code(UInt32(symbol - 256), 7)
        default: code(UInt32(0xC0 + symbol - 280), 8)
        }
    }

    mutating func blockHeader() {
        bits(1, 1)  // BFINAL
        bits(1, 2)  // BTYPE 01: fixed Huffman
    }

    mutating func literal(_ byte: UInt8) { symbol(Int(byte)) }

    mutating func endOfBlock() {
        symbol(256)
        if count > 0 { bits(0, 8 - count) }
    }

    /// Repeats `byte` (the byte just written) `count` more times: matches of 3…258 at distance 1, then
    /// literals for a tail shorter than 3.
    mutating func repeatPrevious(_ count: Int, byte: UInt8) {
        var left = count
        while left >= 3 {
            let length = min(left, 258)
            match(length: length)
            left -= length
        }
        for _ in 0..<left { literal(byte) }
    }

    /// Length symbols 257…285: base length and extra bits (RFC 1951 §3.2.5).
    private static let lengthCodes: [(base: Int, extra: Int)] = [
        (3, 0), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0), (9, 0), (10, 0), (11, 1), (13, 1), (15, 1), (17, 1),
        (19, 2), (23, 2), (27, 2), (31, 2), (35, 3), (43, 3), (51, 3), (59, 3), (67, 4), (83, 4), (99, 4),
        (115, 4), (131, 5), (163, 5), (195, 5), (227, 5), (258, 0),
    ]

    /// A match of `length` (3…258) at distance 1.
    private mutating func match(length: Int) {
        let table = Self.lengthCodes
        let index = length == 258 ? 28 : table[..<28].lastIndex { $0.base <= length }!
        symbol(257 + index)
        if table[index].extra > 0 { bits(UInt32(length - table[index].base), table[index].extra) }
        code(0, 5)  // distance code 0: distance 1, no extra bits
    }
}

/// CRC-32 (ISO-HDLC, as gzip uses it).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// The CRC of `count` zero bytes in O(log count): the zero-byte operator applied by repeated squaring
    /// of its GF(2) matrix (the method of zlib's `crc32_combine`).
    static func zeros(_ count: Int) -> UInt32 {
        func times(_ matrix: [UInt32], _ vector: UInt32) -> UInt32 {
            var sum: UInt32 = 0
            var vector = vector
            var row = 0
            while vector != 0 {
                if vector & 1 != 0 { sum ^= matrix[row] }
                vector >>= 1
                row += 1
            }
            return sum
        }
        func square(_ matrix: [UInt32]) -> [UInt32] { (0..<32).map { times(matrix, matrix[$0]) } }
        // The operator for one zero bit, then for one zero byte.
        var oneBit: [UInt32] = [0xEDB8_8320]
        for row in 1..<32 { oneBit.append(1 << UInt32(row - 1)) }
        var power = square(square(square(oneBit)))
        var register: UInt32 = 0xFFFF_FFFF
        var left = count
        while left > 0 {
            if left & 1 != 0 { register = times(power, register) }
            left >>= 1
            if left > 0 { power = square(power) }
        }
        return register ^ 0xFFFF_FFFF
    }
}
