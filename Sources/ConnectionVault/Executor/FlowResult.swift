public import Foundation
public import IML

/// How one verification run ended and what it produced (connection-spec §8).
public struct FlowResult: Sendable {
    public var outcome: Outcome
    /// The status of the last response received; nil when there was none.
    public var httpStatus: Int?
    public var durationMs: Int
    /// The redacted error message; nil when the run was valid.
    public var error: String?
    /// What to store; present exactly when the outcome is `valid`.
    public var verified: VerifiedState?
    /// Each request and response of the run, sanitised and redacted.
    public var log: [Value]

    /// The run as history records it.
    public func historyEntry(at date: Date, specVersion: Int) -> HistoryEntry {
        HistoryEntry(
            at: date, specVersion: specVersion, outcome: outcome, httpStatus: httpStatus, durationMs: durationMs,
            error: error)
    }
}
