internal import CSystem

#if canImport(Glibc)
import Glibc
#endif

/// Process settings for a batch command: Linux's `SCHED_BATCH` policy for its threads, and malloc heaps that start
/// with 4 MiB writable.
///
/// Both are set on the main thread before any other thread exists, and both are the program's choice (the library
/// never changes them).
enum BatchProcess {
    /// `SCHED_BATCH` from `<linux/sched.h>`: Glibc declares it only under `_GNU_SOURCE`, which Swift's Glibc module
    /// does not define.
    static let schedulingPolicy: Int32 = 3
    /// `SCHED_OTHER`, the policy a process runs under unless someone chose another.
    static let defaultPolicy: Int32 = 0
    /// The malloc top pad (`M_TOP_PAD`): how much address space each new malloc heap is made writable with beyond
    /// its first block, how much the main heap grows by at a time, and how much a heap keeps when freed memory is
    /// trimmed.
    ///
    /// glibc gives each thread that allocates a heap of its own (an arena), writable for 132 KiB at first and then
    /// grown as allocations need, a page at a time, with one `mprotect` each (the pad does not change that growth,
    /// only where it starts); in a process whose threads run on several CPUs every `mprotect` also interrupts the
    /// other CPUs to flush their TLBs. A revalidation of 1,000 connections made 870–1,000 such calls (curl: 34),
    /// mostly for Swift's task allocator. With 4 MiB each arena's first heap starts writable for 4 MiB, its pages
    /// still taken only when touched: 69 calls, 0.7 ms (2%) less time at 1,000, 3% less CPU at 10,000, and
    /// 0.2–1.2 MB more peak memory. (Setting it also stops glibc from raising its mmap threshold over 128 KiB as
    /// large blocks are freed; the measurements include that, and the counts of `mmap` and `munmap` calls stayed as
    /// they were: 179–185 and 10–17 at 10,000 and 100,000.)
    static let mallocTopPad: Int32 = 4 << 20

    /// Applies both settings; false where one was not applied (the scheduling policy is changed only from the default
    /// one).
    @discardableResult
    static func configure() -> Bool {
        let scheduled = runThreadsAsBatch()
        let padded = cv_set_malloc_top_pad(mallocTopPad) == 1
        return scheduled && padded
    }

    /// Sets the calling thread's policy to `SCHED_BATCH`, which the threads it makes inherit, when it runs under the
    /// default policy; a policy the operator chose (`chrt`, systemd's `CPUSchedulingPolicy=`) is kept.
    ///
    /// `revalidate --all` keeps two engine threads, Swift's cooperative pool and the database queues busy at once,
    /// handing each connection from one to the next. Under the default policy a thread woken by such a hand-off may
    /// preempt the thread that woke it; a woken `SCHED_BATCH` thread never preempts the running one (each still gets
    /// its fair share of the CPU), which is what a throughput job wants: in a revalidation of 10,000 connections
    /// against a local server, its threads were switched out 2,000 rather than 2,800 times while runnable and slept
    /// 2,700 rather than 3,800 times, and at 10,000 and 100,000 connections the command took 7–9% less time and CPU.
    /// Moving from the default policy to `SCHED_BATCH` needs no privilege; priorities and nice values are unchanged.
    private static func runThreadsAsBatch() -> Bool {
        guard sched_getscheduler(0) == defaultPolicy else { return false }
        var parameters = sched_param()
        parameters.sched_priority = 0
        return sched_setscheduler(0, schedulingPolicy, &parameters) == 0
    }
}
