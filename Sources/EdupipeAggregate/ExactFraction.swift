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

/// Fixed-width arithmetic for the common case of `ExactFraction`'s
/// comparison: 128-bit values as (high, low) and their 256-bit products as
/// four 64-bit limbs, least significant first.
enum Wide {
    typealias U128 = (hi: UInt64, lo: UInt64)
    typealias U256 = (UInt64, UInt64, UInt64, UInt64)

    static func product(_ a: U128, _ b: U128) -> U256 {
        let ll = a.lo.multipliedFullWidth(by: b.lo)
        let lh = a.lo.multipliedFullWidth(by: b.hi)
        let hl = a.hi.multipliedFullWidth(by: b.lo)
        let hh = a.hi.multipliedFullWidth(by: b.hi)
        // Limb 1: ll.high + lh.low + hl.low; its carries go to limb 2.
        var (r1, c1) = ll.high.addingReportingOverflow(lh.low)
        var carry: UInt64 = c1 ? 1 : 0
        (r1, c1) = r1.addingReportingOverflow(hl.low)
        carry += c1 ? 1 : 0
        // Limb 2: lh.high + hl.high + hh.low + carry; carries to limb 3.
        var (r2, c2) = lh.high.addingReportingOverflow(hl.high)
        var carry2: UInt64 = c2 ? 1 : 0
        (r2, c2) = r2.addingReportingOverflow(hh.low)
        carry2 += c2 ? 1 : 0
        (r2, c2) = r2.addingReportingOverflow(carry)
        carry2 += c2 ? 1 : 0
        // Limb 3 cannot overflow: the product of two 128-bit values fits 256 bits.
        let r3 = hh.high &+ carry2
        return (ll.low, r1, r2, r3)
    }

    static func less(_ a: U256, _ b: U256) -> Bool {
        if a.3 != b.3 { return a.3 < b.3 }
        if a.2 != b.2 { return a.2 < b.2 }
        if a.1 != b.1 { return a.1 < b.1 }
        return a.0 < b.0
    }
}

extension BigNatural {
    /// The value as (high, low) 64-bit halves, when it fits 128 bits.
    var wide: Wide.U128? {
        guard limbs.count <= 4 else { return nil }
        var v: (UInt64, UInt64) = (0, 0)
        for (i, l) in limbs.enumerated() {
            if i < 2 { v.1 |= UInt64(l) << (32 * UInt64(i)) } else { v.0 |= UInt64(l) << (32 * UInt64(i - 2)) }
        }
        return (v.0, v.1)
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
        // Fractions of counts, and their distances from a median, fit 128
        // bits: their cross products are compared in 256 bits on the stack.
        // A median's sort made two heap products per comparison, and the
        // outlier check was a twentieth of a national night, on one thread.
        if let an = a.numerator.wide, let bd = b.denominator.wide, let bn = b.numerator.wide, let ad = a.denominator.wide {
            return Wide.less(Wide.product(an, bd), Wide.product(bn, ad))
        }
        return slowLess(a, b)
    }

    /// The comparison by arbitrary-size products (the reference the fast
    /// path is tested against).
    static func slowLess(_ a: ExactFraction, _ b: ExactFraction) -> Bool {
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
