import ConnectionVault
import Foundation
import IML

/// What `list` and `find` print, written while the connections are read: the JSON array of cli.md, or the table.
///
/// `source` calls its argument with each connection in order (``Vault/forEachConnection(_:pageSize:_:)`` reads them
/// a page at a time); the JSON goes out through a 64 KiB buffer as it is made, so memory stays flat at any size. The
/// table must know every width before its first line, so it keeps its rows, packed (see ``Table``).
enum ConnectionListing {
    typealias Source = ((Connection) throws -> Void) throws -> Void

    static func write(_ source: Source, json: Bool) throws {
        var output = StandardOutputBuffer()
        if json {
            output.bytes.append(UInt8(ascii: "["))
            var first = true
            try source { connection in
                if !first { output.bytes.append(UInt8(ascii: ",")) }
                first = false
                appendJSON(connection, to: &output.bytes)
                try output.flushIfFull()
            }
            output.bytes.append(contentsOf: "]\n".utf8)
        } else {
            var table = Table("ID", "TYPE", "NAME", "STATUS", "VERIFIED", "LAST ERROR")
            let now = Date()
            try source { connection in
                table.add(
                    shortID(connection.id), connection.typeName, connection.name, connection.status.rawValue,
                    RelativeTime.describe(connection.verifiedAt, now: now), connection.lastError ?? "")
            }
            try table.write(to: &output)
        }
        try output.flush()
    }

    /// The first 8 hex digits of an id: what tables show.
    static func shortID(_ id: UUID) -> String {
        id.withStoredText { String(decoding: UnsafeBufferPointer(rebasing: $0[..<8]), as: UTF8.self) }
    }

    /// Appends the object `JSONDocuments.connection(connection).compactJSON()` writes, byte for byte, without
    /// building it as a `Value` first (member order and `null`s as cli.md lists them).
    static func appendJSON(_ connection: Connection, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":""#.utf8)
        connection.id.withStoredText { out.append(contentsOf: $0) }
        out.append(contentsOf: #"","type":"#.utf8)
        Value.appendJSONString(connection.typeName, to: &out)
        out.append(contentsOf: #","name":"#.utf8)
        Value.appendJSONString(connection.name, to: &out)
        out.append(contentsOf: #","status":""#.utf8)
        out.append(contentsOf: connection.status.rawValue.utf8)  // a fixed lower-case word: nothing to escape
        out.append(contentsOf: #"","metadata":"#.utf8)
        if let metadata = connection.metadata {
            out.append(contentsOf: #"{"type":""#.utf8)
            out.append(contentsOf: metadata.type.rawValue.utf8)
            out.append(contentsOf: #"","value":"#.utf8)
            Value.appendJSONString(metadata.value, to: &out)
            out.append(UInt8(ascii: "}"))
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(contentsOf: #","uid":"#.utf8)
        appendOptionalString(connection.uid, to: &out)
        out.append(contentsOf: #","verifiedAt":"#.utf8)
        appendOptionalTimestamp(connection.verifiedAt, to: &out)
        out.append(contentsOf: #","expiresAt":"#.utf8)
        appendOptionalTimestamp(connection.expiresAt, to: &out)
        out.append(contentsOf: #","lastError":"#.utf8)
        appendOptionalString(connection.lastError, to: &out)
        out.append(contentsOf: #","specVersion":"#.utf8)
        appendInteger(connection.specVersion, to: &out)
        out.append(contentsOf: #","createdAt":"#.utf8)
        appendOptionalTimestamp(connection.createdAt, to: &out)
        out.append(contentsOf: #","updatedAt":"#.utf8)
        appendOptionalTimestamp(connection.updatedAt, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    private static func appendOptionalString(_ text: String?, to out: inout [UInt8]) {
        if let text { Value.appendJSONString(text, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    private static func appendOptionalTimestamp(_ date: Date?, to out: inout [UInt8]) {
        guard let date else { return out.append(contentsOf: "null".utf8) }
        out.append(UInt8(ascii: "\""))
        Timestamps.appendISO8601(date, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    private static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = out.count
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out[start...].reverse()
    }
}
