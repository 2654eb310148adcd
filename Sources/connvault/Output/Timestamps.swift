import Foundation
import IML

/// ISO 8601 in UTC with whole seconds (`2026-12-04T10:00:00Z`), the form of cli.md.
///
/// Built on IML's calendar code rather than a formatter object: `list --json` prints three per connection,
/// and creating an `ISO8601DateFormatter` per call dominated its cost.
enum Timestamps {
    static func iso8601(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendISO8601(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``iso8601(_:)``'s text as UTF-8, without building a string.
    static func appendISO8601(_ date: Date, to bytes: inout [UInt8]) {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let wholeSeconds = milliseconds - ((milliseconds % 1000) + 1000) % 1000
        Instant(millisecondsSinceEpoch: wholeSeconds).appendISOText(to: &bytes)  // …T10:00:00.000Z
        bytes.removeLast(5)
        bytes.append(UInt8(ascii: "Z"))
    }
}
