import Foundation
import IML

/// ISO 8601 in UTC with whole seconds (`2026-12-04T10:00:00Z`), the form of cli.md.
///
/// Built on IML's calendar code rather than a formatter object: `list --json` prints three per connection,
/// and creating an `ISO8601DateFormatter` per call dominated its cost.
enum Timestamps {
    static func iso8601(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let wholeSeconds = milliseconds - ((milliseconds % 1000) + 1000) % 1000
        let text = Instant(millisecondsSinceEpoch: wholeSeconds).isoText  // …T10:00:00.000Z
        return String(text.dropLast(5)) + "Z"
    }
}
