public import Foundation

/// Regular-expression matching that gives up after a time limit.
///
/// ICU backtracks: a pattern such as `^(a+)+$` takes over a second on 24 characters and doubles with each one
/// more. A spec's pattern runs on response bodies and entered values, so every match has a deadline. ICU reports
/// progress to `enumerateMatches` during a long match (`reportProgress`), and the block stops it there.
public enum RegexMatching {
    /// How long one matching call may run: far beyond any reasonable pattern (they take microseconds).
    public static let timeLimit: Duration = .seconds(1)

    /// The first match of `expression` in `range` of `text`, or every match when `all`; nil when matching took
    /// longer than `limit`.
    public static func matches(
        of expression: NSRegularExpression, in text: String, range: NSRange, all: Bool,
        limit: Duration = timeLimit
    ) -> [NSTextCheckingResult]? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
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
