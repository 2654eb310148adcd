/// Timing helpers: run a body in batches until enough time has passed, report the best batch rate.
enum Measure {
    struct Result {
        let name: String
        /// Operations per second (best batch).
        let rate: Double
        /// Nanoseconds per operation (best batch).
        var nanoseconds: Double { 1e9 / rate }
    }

    /// Runs `body` repeatedly for about `seconds`, in batches of `batch`, and returns the best batch's rate.
    static func run(_ name: String, batch: Int, seconds: Double = 1.0, _ body: () -> Int) -> (Result, Int) {
        let clock = ContinuousClock()
        var best = 0.0
        var checksum = 0
        let deadline = clock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
        // Warm-up.
        for _ in 0..<max(1, batch / 10) { checksum &+= body() }
        repeat {
            let start = clock.now
            for _ in 0..<batch { checksum &+= body() }
            let elapsed = start.duration(to: clock.now)
            let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            best = max(best, Double(batch) / secondsElapsed)
        } while clock.now < deadline
        return (Result(name: name, rate: best), checksum)
    }
}
