extension Duration {
    /// The whole milliseconds in this duration, the rest dropped (toward zero).
    var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// The whole nanoseconds in this duration, the rest dropped (toward zero).
    var wholeNanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
