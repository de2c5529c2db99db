/// A natural number of any size, for the few sums of products the quality
/// checks compare (medians and MADs of fractions, section 8.3): the
/// standard asks for exact arithmetic, and a MAD of differences of
/// fractions can outgrow 128 bits.
///
/// A value that fits 128 bits (counts and their products: nearly every
/// one) is kept inline; only beyond that as little-endian 32-bit limbs. The
/// limbs alone made every product two heap arrays, about a thousand
/// instructions, and the outlier check a single-threaded 150 M instructions
/// at the end of a national night.
struct BigNatural: Comparable, Sendable {
    /// The value, when `large` is nil.
    private var small: UInt128
    /// The value's limbs (no leading zeros) when it needs more than 128
    /// bits: then always five limbs or more, so larger than any `small`.
    private var large: [UInt32]?

    init(_ v: UInt64) {
        small = UInt128(v)
        large = nil
    }

    init(small: UInt128) {
        self.small = small
        large = nil
    }

    /// The value, when it fits 128 bits.
    var inline: UInt128? { large == nil ? small : nil }

    /// Any limbs: leading zeros dropped, and kept inline when they fit.
    private init(limbs: [UInt32]) {
        var limbs = limbs
        while let last = limbs.last, last == 0 { limbs.removeLast() }
        if limbs.count <= 4 {
            var v: UInt128 = 0
            for (i, l) in limbs.enumerated() { v |= UInt128(l) << (32 * i) }
            small = v
            large = nil
        } else {
            small = 0
            large = limbs
        }
    }

    /// Little-endian 32-bit limbs, no leading zeros (the general path, and
    /// tests).
    var limbs: [UInt32] {
        if let large { return large }
        var out: [UInt32] = []
        var v = small
        while v != 0 {
            out.append(UInt32(truncatingIfNeeded: v))
            v >>= 32
        }
        return out
    }

    var isZero: Bool { large == nil && small == 0 }

    static func + (a: BigNatural, b: BigNatural) -> BigNatural {
        if a.large == nil && b.large == nil {
            let (sum, overflow) = a.small.addingReportingOverflow(b.small)
            if !overflow { return BigNatural(small: sum) }
        }
        let (x, y) = (a.limbs, b.limbs)
        var out = [UInt32](repeating: 0, count: max(x.count, y.count) + 1)
        var carry: UInt64 = 0
        for i in 0..<(out.count - 1) {
            let s = UInt64(i < x.count ? x[i] : 0) + UInt64(i < y.count ? y[i] : 0) + carry
            out[i] = UInt32(truncatingIfNeeded: s)
            carry = s >> 32
        }
        out[out.count - 1] = UInt32(carry)
        return BigNatural(limbs: out)
    }

    /// `a - b` for `a >= b`.
    static func - (a: BigNatural, b: BigNatural) -> BigNatural {
        if a.large == nil && b.large == nil { return BigNatural(small: a.small &- b.small) }
        var out = a.limbs
        let y = b.limbs
        var borrow: Int64 = 0
        for i in 0..<out.count {
            var d = Int64(out[i]) - Int64(i < y.count ? y[i] : 0) - borrow
            if d < 0 { d += 1 << 32; borrow = 1 } else { borrow = 0 }
            out[i] = UInt32(d)
        }
        return BigNatural(limbs: out)
    }

    static func * (a: BigNatural, b: BigNatural) -> BigNatural {
        guard !a.isZero, !b.isZero else { return BigNatural(0) }
        if a.large == nil && b.large == nil {
            let p = a.small.multipliedFullWidth(by: b.small)
            if p.high == 0 { return BigNatural(small: p.low) }
            var out: [UInt32] = []
            for half in [p.low, UInt128(p.high)] {
                for k in 0..<4 { out.append(UInt32(truncatingIfNeeded: half >> (32 * k))) }
            }
            return BigNatural(limbs: out)
        }
        let (x, y) = (a.limbs, b.limbs)
        var out = [UInt32](repeating: 0, count: x.count + y.count)
        for i in 0..<x.count {
            var carry: UInt64 = 0
            let v = UInt64(x[i])
            for j in 0..<y.count {
                let t = v * UInt64(y[j]) + UInt64(out[i + j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            var k = i + y.count
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
        switch (a.large, b.large) {
        case (nil, nil): return a.small < b.small
        case (nil, _?): return true
        case (_?, nil): return false
        case (let x?, let y?):
            if x.count != y.count { return x.count < y.count }
            for i in stride(from: x.count - 1, through: 0, by: -1) where x[i] != y[i] {
                return x[i] < y[i]
            }
            return false
        }
    }

    /// `a / b`, rounded down (`b` not zero): inline when both fit, else by
    /// binary long division (the numbers here are a few hundred bits at most).
    static func / (a: BigNatural, b: BigNatural) -> BigNatural {
        if a.large == nil && b.large == nil && b.small != 0 { return BigNatural(small: a.small / b.small) }
        let x = a.limbs
        var quotient = [UInt32](repeating: 0, count: x.count)
        var remainder = BigNatural(0)
        var i = x.isEmpty ? -1 : x.count * 32 - x[x.count - 1].leadingZeroBitCount - 1
        while i >= 0 {
            remainder = remainder.shiftedLeftOne(plus: (x[i / 32] >> UInt32(i % 32)) & 1 == 1)
            if !(remainder < b) {
                remainder = remainder - b
                quotient[i / 32] |= 1 << UInt32(i % 32)
            }
            i -= 1
        }
        return BigNatural(limbs: quotient)
    }

    private func shiftedLeftOne(plus low: Bool) -> BigNatural {
        let x = limbs
        var out = [UInt32](repeating: 0, count: x.count + 1)
        var carry: UInt32 = low ? 1 : 0
        for i in 0..<x.count {
            out[i] = x[i] << 1 | carry
            carry = x[i] >> 31
        }
        out[x.count] = carry
        return BigNatural(limbs: out)
    }

    /// The value, when it fits 63 bits; else Int.max.
    var int: Int {
        guard large == nil, small <= UInt128(Int.max) else { return .max }
        return Int(small)
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
        if let x = Plain(a), let y = Plain(b) { return Plain.less(x, y) }
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
        let n = values.count
        // Nearly always every part fits 128 bits: then the sort moves plain
        // pairs of numbers and compares their products inline (sorting the
        // fractions themselves, references and all, was most of the
        // outlier check).
        var plain: [Plain] = []
        plain.reserveCapacity(n)
        for v in values {
            guard let p = Plain(v) else { break }
            plain.append(p)
        }
        if plain.count == n {
            plain.sort(by: Plain.less)
            return n % 2 == 1 ? plain[n / 2].fraction : mean(plain[n / 2 - 1].fraction, plain[n / 2].fraction)
        }
        let sorted = values.sorted()
        return n % 2 == 1 ? sorted[n / 2] : mean(sorted[n / 2 - 1], sorted[n / 2])
    }

    /// A fraction whose parts fit 128 bits: compared by its 256-bit cross
    /// products, and sorted without the references a `BigNatural` carries.
    struct Plain {
        let numerator: UInt128
        let denominator: UInt128

        init(numerator: UInt128, denominator: UInt128) {
            self.numerator = numerator
            self.denominator = denominator
        }

        /// Nil when a part needs more than 128 bits.
        init?(_ f: ExactFraction) {
            guard let n = f.numerator.inline, let d = f.denominator.inline else { return nil }
            self.init(numerator: n, denominator: d)
        }

        var fraction: ExactFraction {
            ExactFraction(numerator: BigNatural(small: numerator), denominator: BigNatural(small: denominator))
        }

        static func less(_ a: Plain, _ b: Plain) -> Bool {
            let x = a.numerator.multipliedFullWidth(by: b.denominator)
            let y = b.numerator.multipliedFullWidth(by: a.denominator)
            return x.high != y.high ? x.high < y.high : x.low < y.low
        }
    }

    /// Rounded half up to six decimals, as `indicators.csv` writes a value.
    var sixDecimals: String {
        let scaled = (numerator * BigNatural(2_000_000) + denominator) / (denominator * BigNatural(2))
        let q = scaled.int
        let frac = String(q % 1_000_000)
        return "\(q / 1_000_000)." + String(repeating: "0", count: 6 - frac.count) + frac
    }
}
