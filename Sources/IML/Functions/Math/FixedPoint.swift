/// Exact decimal rounding of doubles, as JavaScript's `toFixed` does it.
enum FixedPoint {
    /// The decimal digits of `magnitude` × 10^`places` rounded to an integer (exact ties away from zero), without
    /// a decimal point; at least `places + 1` digits.
    static func digits(of magnitude: Double, places: Int) -> String {
        guard magnitude.isFinite, magnitude > 0 else { return String(repeating: "0", count: places + 1) }
        // magnitude = significand × 2^exponent exactly, with an integral significand.
        let exponent = Int(magnitude.exponent) - Double.significandBitCount
        let significand =
            UInt64(magnitude.significandBitPattern)
            | (magnitude.isNormal ? UInt64(1) << UInt64(Double.significandBitCount) : 0)
        let exponentAdjusted =
            magnitude.isNormal
            ? exponent
            : Int(Double.leastNormalMagnitude.exponent)
                - Double.significandBitCount
        var value = BigUInt(significand)
        for _ in 0..<places { value.multiply(by: 10) }
        if exponentAdjusted >= 0 {
            value.shiftLeft(by: exponentAdjusted)
        } else {
            let shift = -exponentAdjusted
            let roundUp = value.bit(shift - 1)  // the half bit: set means ≥ .5; ties go up (away from zero)
            value.shiftRight(by: shift)
            if roundUp { value.add(1) }
        }
        var text = value.decimalString
        if text.count < places + 1 { text = String(repeating: "0", count: places + 1 - text.count) + text }
        return text
    }
}

/// A minimal unsigned big integer (little-endian 32-bit limbs) for exact decimal conversion.
struct BigUInt {
    private(set) var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        normalize()
    }

    private mutating func normalize() {
        while limbs.count > 1 && limbs.last == 0 { limbs.removeLast() }
    }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for index in limbs.indices {
            let product = UInt64(limbs[index]) * UInt64(factor) + carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
    }

    mutating func add(_ addend: UInt32) {
        var carry = UInt64(addend)
        var index = 0
        while carry > 0 {
            if index == limbs.count { limbs.append(0) }
            let sum = UInt64(limbs[index]) + carry
            limbs[index] = UInt32(truncatingIfNeeded: sum)
            carry = sum >> 32
            index += 1
        }
    }

    mutating func shiftLeft(by bits: Int) {
        guard bits > 0 else { return }
        let whole = bits / 32
        let partial = bits % 32
        if partial > 0 {
            var carry: UInt32 = 0
            for index in limbs.indices {
                let limb = limbs[index]
                limbs[index] = limb << UInt32(partial) | carry
                carry = limb >> UInt32(32 - partial)
            }
            if carry > 0 { limbs.append(carry) }
        }
        limbs.insert(contentsOf: repeatElement(0, count: whole), at: 0)
        normalize()
    }

    mutating func shiftRight(by bits: Int) {
        guard bits > 0 else { return }
        let whole = bits / 32
        guard whole < limbs.count else {
            limbs = [0]
            return
        }
        limbs.removeFirst(whole)
        let partial = bits % 32
        if partial > 0 {
            for index in limbs.indices {
                let next = index + 1 < limbs.count ? limbs[index + 1] : 0
                limbs[index] = limbs[index] >> UInt32(partial) | next << UInt32(32 - partial)
            }
        }
        normalize()
    }

    /// Whether bit `index` (0 = least significant) is set.
    func bit(_ index: Int) -> Bool {
        guard index >= 0 else { return false }
        let limb = index / 32
        guard limb < limbs.count else { return false }
        return limbs[limb] >> UInt32(index % 32) & 1 == 1
    }

    var decimalString: String {
        var remaining = limbs
        var chunks: [UInt32] = []
        while !(remaining.count == 1 && remaining[0] == 0) && !remaining.isEmpty {
            var remainder: UInt64 = 0
            for index in remaining.indices.reversed() {
                let current = remainder << 32 | UInt64(remaining[index])
                remaining[index] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
            while remaining.count > 1 && remaining.last == 0 { remaining.removeLast() }
        }
        guard let most = chunks.last else { return "0" }
        var text = String(most)
        for chunk in chunks.dropLast().reversed() {
            let part = String(chunk)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }
}
