import Synchronization

/// The time a task's requests spent in this process before their transfers started, summed, while the task runs
/// with it set as ``current``.
///
/// A hop waits in its engine's queue while the bound on requests in flight is reached, and until the engine thread
/// takes it; that is not the service's time, so the executor leaves it out of a run's recorded duration
/// (`revalidate` runs two flows per request slot, and a run's duration would otherwise hold about one transfer of
/// someone else's).
final class SlotWait: Sendable {
    /// The wait of the running task's requests, if the task keeps count.
    @TaskLocal static var current: SlotWait?

    private let nanoseconds = Atomic<Int64>(0)

    /// The waits added so far.
    var total: Duration { .nanoseconds(nanoseconds.load(ordering: .relaxed)) }

    func add(_ wait: Duration) {
        nanoseconds.add(wait.wholeNanoseconds, ordering: .relaxed)
    }
}
