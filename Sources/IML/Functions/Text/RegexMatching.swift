public import Foundation

/// Regular-expression matching that gives up after a time limit.
///
/// ICU backtracks: a pattern such as `^(a+)+$` takes over a second on 24 characters and doubles with each one
/// more. A spec's pattern runs on response bodies and entered values, so every match has a deadline. ICU reports
/// progress to `enumerateMatches` during a long match (`reportProgress`), and the block stops it there.
///
/// ICU also abandons a single match attempt on its own after a fixed amount of backtracking (about 0.5 s on a
/// 2026 machine) and reports it as no match; the deadline is what ends a pattern that makes many such attempts,
/// such as an unanchored one on a long text.
public enum RegexMatching {
    /// How long matching a text of `length` UTF-16 units may run: 1 s, far beyond any reasonable pattern on a short
    /// text, plus 0.25 µs per unit. With `reportProgress`, ICU calls back at every position it starts a match
    /// from, about 0.06 µs each (0.2 µs in a debug build), so a linear pattern over an 8 MiB body needs that much.
    public static func timeLimit(forLength length: Int) -> Duration {
        .seconds(1) + .nanoseconds(250 * max(0, length))
    }

    /// The first match of `expression` in `range` of `text`, or every match when `all`; nil when matching took
    /// longer than `limit` (by default ``timeLimit(forLength:)`` of the range).
    public static func matches(
        of expression: NSRegularExpression, in text: String, range: NSRange, all: Bool, limit: Duration? = nil
    ) -> [NSTextCheckingResult]? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit ?? timeLimit(forLength: range.length))
        var matches: [NSTextCheckingResult] = []
        var timedOut = false
        expression.enumerateMatches(in: text, options: [.reportProgress], range: range) { match, _, stop in
            if let match {
                matches.append(match)
                if !all { stop.pointee = true }
            }
            if clock.now >= deadline {
                timedOut = true
                stop.pointee = true
            }
        }
        return timedOut ? nil : matches
    }
}
