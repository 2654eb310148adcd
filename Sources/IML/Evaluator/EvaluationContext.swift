/// Everything an evaluation reads besides the template: variables, clock, default time zone, random source.
///
/// Evaluation is a pure function of the compiled template and this context (iml.md §4).
public struct EvaluationContext: Sendable {
    /// The root variables (`parameters`, `common`, `data`, `temp`, `body`, `headers`, `statusCode`, …).
    ///
    /// A `headers` object is marked so that its lookups ignore ASCII case (iml.md §5.2).
    public var variables: Object {
        didSet { markHeaders() }
    }
    /// The clock: `now`, `timestamp`, and date defaults.
    public var now: Instant
    /// The IANA name of the default time zone (`environment.timezone`).
    public var timeZone: String
    /// The random source of `shuffle`.
    public var randomSource: RandomSource

    /// A context with the given variables.
    /// - Parameters:
    ///   - variables: the root variables.
    ///   - now: the clock reading; the current time when omitted.
    ///   - timeZone: the default time zone; when `nil`, `variables.environment.timezone` if it is a String, else
    ///     `UTC`.
    ///   - randomSource: the source of `shuffle`; the system generator when omitted.
    public init(
        variables: Object = Object(), now: Instant = .current, timeZone: String? = nil,
        randomSource: RandomSource = .system
    ) {
        self.variables = variables
        self.now = now
        self.timeZone =
            timeZone ?? variables["environment"]?["timezone"]?.stringValue ?? "UTC"
        self.randomSource = randomSource
        markHeaders()
    }

    private mutating func markHeaders() {
        guard case .object(var headers)? = variables["headers"], !headers.ignoresKeyCase else { return }
        headers.ignoresKeyCase = true
        variables.updateValue(.object(headers), forKey: "headers")
    }

    /// The value of a root variable: the context's, or for `environment` the default `{"timezone": …}`.
    func variable(_ name: String) -> Value {
        if let value = variables[name] { return value }
        if name == "environment" { return .object(["timezone": .string(timeZone)]) }
        return .undefined
    }
}

/// A source of uniformly distributed 64-bit random numbers.
public struct RandomSource: Sendable {
    private let generate: @Sendable () -> UInt64

    /// A source that calls `generate` for each number.
    public init(_ generate: @escaping @Sendable () -> UInt64) {
        self.generate = generate
    }

    /// The system's cryptographically secure generator.
    public static let system = RandomSource {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }

    /// The next number.
    public func next() -> UInt64 { generate() }

    /// A uniformly distributed integer in `0..<bound` (`bound` > 0).
    func integer(below bound: Int) -> Int {
        let limit = UInt64(bound)
        // Rejection sampling avoids modulo bias.
        let threshold = (0 &- limit) % limit
        while true {
            let value = next()
            if value >= threshold { return Int(value % limit) }
        }
    }
}

extension Instant {
    /// The current wall-clock time.
    public static var current: Instant {
        Instant(millisecondsSinceEpoch: SystemClock.millisecondsSinceEpoch())
    }
}
