/// A natural number of any size, for the few sums of products the quality
/// checks compare (medians and MADs of fractions, section 8.3): the
/// standard asks for exact arithmetic, and a MAD of differences of
/// fractions outgrows 128 bits. Little-endian 32-bit limbs, no leading zeros.
struct BigNatural: Comparable, Sendable {
    private(set) var limbs: [UInt32]

    init(_ v: UInt64) {
        limbs = v == 0 ? [] : (v >> 32 == 0 ? [UInt32(v)] : [UInt32(truncatingIfNeeded: v), UInt32(v >> 32)])
    }

    private init(limbs: [UInt32]) {
        self.limbs = limbs
        normalize()
    }

    var isZero: Bool { limbs.isEmpty }

    private mutating func normalize() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    static func + (a: BigNatural, b: BigNatural) -> BigNatural {
        var out = [UInt32](repeating: 0, count: max(a.limbs.count, b.limbs.count) + 1)
        var carry: UInt64 = 0
        for i in 0..<(out.count - 1) {
            let s = UInt64(i < a.limbs.count ? a.limbs[i] : 0) + UInt64(i < b.limbs.count ? b.limbs[i] : 0) + carry
            out[i] = UInt32(truncatingIfNeeded: s)
            carry = s >> 32
        }
        out[out.count - 1] = UInt32(carry)
        return BigNatural(limbs: out)
    }

    /// `a - b` for `a >= b`.
    static func - (a: BigNatural, b: BigNatural) -> BigNatural {
        var out = a.limbs
        var borrow: Int64 = 0
        for i in 0..<out.count {
            var d = Int64(out[i]) - Int64(i < b.limbs.count ? b.limbs[i] : 0) - borrow
            if d < 0 { d += 1 << 32; borrow = 1 } else { borrow = 0 }
            out[i] = UInt32(d)
        }
        return BigNatural(limbs: out)
    }

    static func * (a: BigNatural, b: BigNatural) -> BigNatural {
        guard !a.isZero, !b.isZero else { return BigNatural(0) }
        var out = [UInt32](repeating: 0, count: a.limbs.count + b.limbs.count)
        for i in 0..<a.limbs.count {
            var carry: UInt64 = 0
            let x = UInt64(a.limbs[i])
            for j in 0..<b.limbs.count {
                let t = x * UInt64(b.limbs[j]) + UInt64(out[i + j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            var k = i + b.limbs.count
            while carry > 0 {
                let t = UInt64(out[k]) + carry
                out[k] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
                k += 1
            }
        }
        return BigNatural(limbs: out)
    }

    static func < (a: BigNatural, b: BigNatural) -> Bool {
        if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count }
        for i in stride(from: a.limbs.count - 1, through: 0, by: -1) where a.limbs[i] != b.limbs[i] {
            return a.limbs[i] < b.limbs[i]
        }
        return false
    }

    private var bitWidth: Int { limbs.isEmpty ? 0 : limbs.count * 32 - limbs[limbs.count - 1].leadingZeroBitCount }

    private func bit(_ i: Int) -> Bool { (limbs[i / 32] >> UInt32(i % 32)) & 1 == 1 }

    private func shiftedLeftOne(plus low: Bool) -> BigNatural {
        var out = [UInt32](repeating: 0, count: limbs.count + 1)
        var carry: UInt32 = low ? 1 : 0
        for i in 0..<limbs.count {
            out[i] = limbs[i] << 1 | carry
            carry = limbs[i] >> 31
        }
        out[limbs.count] = carry
        return BigNatural(limbs: out)
    }

    /// `a / b`, rounded down (`b` not zero), by binary long division: the
    /// numbers here are a few hundred bits at most.
    static func / (a: BigNatural, b: BigNatural) -> BigNatural {
        var quotient = [UInt32](repeating: 0, count: a.limbs.count)
        var remainder = BigNatural(0)
        var i = a.bitWidth - 1
        while i >= 0 {
            remainder = remainder.shiftedLeftOne(plus: a.bit(i))
            if !(remainder < b) {
                remainder = remainder - b
                quotient[i / 32] |= 1 << UInt32(i % 32)
            }
            i -= 1
        }
        return BigNatural(limbs: quotient)
    }

    /// The value, when it fits 63 bits; else Int.max.
    var int: Int {
        guard bitWidth <= 63 else { return .max }
        var v: UInt64 = 0
        for (i, l) in limbs.enumerated() { v |= UInt64(l) << (32 * UInt64(i)) }
        return Int(v)
    }
}

/// A non-negative fraction kept exactly (numerator and a positive
/// denominator, never reduced: only compared, added, halved and subtracted).
struct ExactFraction: Comparable, Sendable {
    let numerator: BigNatural
    let denominator: BigNatural

    init(_ n: Int, _ d: Int) {
        numerator = BigNatural(UInt64(max(0, n)))
        denominator = BigNatural(UInt64(max(1, d)))
    }

    init(numerator: BigNatural, denominator: BigNatural) {
        self.numerator = numerator
        self.denominator = denominator
    }

    static func < (a: ExactFraction, b: ExactFraction) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    static func == (a: ExactFraction, b: ExactFraction) -> Bool {
        !(a < b) && !(b < a)
    }

    /// The mean of two fractions.
    static func mean(_ a: ExactFraction, _ b: ExactFraction) -> ExactFraction {
        ExactFraction(numerator: a.numerator * b.denominator + b.numerator * a.denominator,
                      denominator: a.denominator * b.denominator * BigNatural(2))
    }

    /// `|a - b|`.
    static func distance(_ a: ExactFraction, _ b: ExactFraction) -> ExactFraction {
        let x = a.numerator * b.denominator, y = b.numerator * a.denominator
        return ExactFraction(numerator: x < y ? y - x : x - y, denominator: a.denominator * b.denominator)
    }

    /// The fraction times `k / 1`.
    func times(_ k: Int) -> ExactFraction {
        ExactFraction(numerator: numerator * BigNatural(UInt64(max(0, k))), denominator: denominator)
    }

    var isZero: Bool { numerator.isZero }

    /// The median of a non-empty list (the mean of the middle two for an
    /// even count).
    static func median(_ values: [ExactFraction]) -> ExactFraction {
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : mean(sorted[n / 2 - 1], sorted[n / 2])
    }

    /// Rounded half up to six decimals, as `indicators.csv` writes a value.
    var sixDecimals: String {
        let scaled = (numerator * BigNatural(2_000_000) + denominator) / (denominator * BigNatural(2))
        let q = scaled.int
        let frac = String(q % 1_000_000)
        return "\(q / 1_000_000)." + String(repeating: "0", count: 6 - frac.count) + frac
    }
}
