import Testing
@testable import EdupipeAggregate

/// The fixed-width comparison of fractions against the arbitrary-size one
/// it stands in for: the same answer for every pair, at the edges of 64 and
/// 128 bits and on exact ties.
@Suite struct ExactFractionTests {
    static func big(_ hi: UInt64, _ lo: UInt64) -> BigNatural {
        BigNatural(hi) * BigNatural(1 << 32) * BigNatural(1 << 32) + BigNatural(lo)
    }

    @Test func theFastComparisonAgreesWithTheExactOne() {
        var rng = SystemRandomNumberGenerator()
        var edges: [UInt64] = [0, 1, 2, 6745, UInt64(UInt32.max), UInt64(UInt32.max) + 1, UInt64.max - 1, UInt64.max, 1 << 63]
        for _ in 0..<8 { edges.append(UInt64.random(in: 0...UInt64.max, using: &rng)) }
        func value(_ i: Int) -> BigNatural {
            // Small, 64-bit and 128-bit values alike.
            let hi = i % 3 == 0 ? 0 : edges[(i * 7) % edges.count]
            return Self.big(hi, edges[(i * 5 + 3) % edges.count])
        }
        var compared = 0
        for i in 0..<60 {
            for j in 0..<60 {
                let n1 = value(i), d1 = value(i + 11), n2 = value(j), d2 = value(j + 17)
                guard !d1.isZero, !d2.isZero else { continue }
                let a = ExactFraction(numerator: n1, denominator: d1), b = ExactFraction(numerator: n2, denominator: d2)
                #expect((a < b) == ExactFraction.slowLess(a, b), "\(n1.limbs)/\(d1.limbs) < \(n2.limbs)/\(d2.limbs)")
                compared += 1
            }
        }
        #expect(compared > 3000)
        // Equal fractions written differently: neither is less.
        let x = ExactFraction(numerator: Self.big(3, 5), denominator: Self.big(0, 7))
        let y = ExactFraction(numerator: Self.big(3, 5) * BigNatural(3), denominator: BigNatural(21))
        #expect(!(x < y) && !(y < x) && x == y)
        // Beyond 128 bits the exact path decides.
        let huge = ExactFraction(numerator: Self.big(.max, .max) * BigNatural(4), denominator: BigNatural(1))
        #expect(x < huge && !(huge < x))
    }

    /// The fixed-width comparison where its 256-bit cross products are at
    /// their largest, carry across 64 and 128 bits, or are decided by their
    /// high half alone; each case also against the arbitrary-size one.
    @Test func productsAtTheTopOf256Bits() {
        typealias Plain = ExactFraction.Plain
        let top = UInt128.max
        func less(_ a: (UInt128, UInt128), _ b: (UInt128, UInt128)) -> Bool {
            let x = Plain(numerator: a.0, denominator: a.1), y = Plain(numerator: b.0, denominator: b.1)
            #expect(Plain.less(x, y) == ExactFraction.slowLess(x.fraction, y.fraction), "\(a) < \(b)")
            return Plain.less(x, y)
        }
        // (2^128 - 1)^2 on both sides: equal, neither is less.
        #expect(!less((top, top), (top, top)))
        // (2^128 - 2)(2^128 - 1) against (2^128 - 1)^2.
        #expect(less((top - 1, top), (top, top)) && !less((top, top), (top - 1, top)))
        // 2^63 * 2 = 2^64 on both sides: the carry into the second limb.
        #expect(!less((1 << 63, 1), (1 << 64, 2)) && !less((1 << 64, 2), (1 << 63, 1)))
        // 2^127 * 2 = 2^128 on both sides: the carry into the high half;
        // one less on one side and it is less.
        #expect(!less((1 << 127, 2), (1 << 127, 2)))
        #expect(less(((1 << 127) - 1, 2), (1 << 127, 2)) && !less((1 << 127, 2), ((1 << 127) - 1, 2)))
        // 2^128 (high half 1, low half 0) against 2^128 - 1 (high half 0,
        // low half all ones): the high half decides.
        #expect(less((top, 2), (1 << 127, 1)) && !less((1 << 127, 1), (top, 2)))
    }

    /// The limbs-only arithmetic `BigNatural` used for every value before
    /// values within 128 bits were kept inline: the reference for both.
    enum Limbs {
        static func trim(_ x: [UInt32]) -> [UInt32] {
            var x = x
            while let last = x.last, last == 0 { x.removeLast() }
            return x
        }
        static func add(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
            var out = [UInt32](repeating: 0, count: max(a.count, b.count) + 1)
            var carry: UInt64 = 0
            for i in 0..<(out.count - 1) {
                let s = UInt64(i < a.count ? a[i] : 0) + UInt64(i < b.count ? b[i] : 0) + carry
                out[i] = UInt32(truncatingIfNeeded: s)
                carry = s >> 32
            }
            out[out.count - 1] = UInt32(carry)
            return trim(out)
        }
        static func sub(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
            var out = a
            var borrow: Int64 = 0
            for i in 0..<out.count {
                var d = Int64(out[i]) - Int64(i < b.count ? b[i] : 0) - borrow
                if d < 0 { d += 1 << 32; borrow = 1 } else { borrow = 0 }
                out[i] = UInt32(d)
            }
            return trim(out)
        }
        static func mul(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
            guard !a.isEmpty, !b.isEmpty else { return [] }
            var out = [UInt32](repeating: 0, count: a.count + b.count)
            for i in 0..<a.count {
                var carry: UInt64 = 0
                for j in 0..<b.count {
                    let t = UInt64(a[i]) * UInt64(b[j]) + UInt64(out[i + j]) + carry
                    out[i + j] = UInt32(truncatingIfNeeded: t)
                    carry = t >> 32
                }
                out[i + b.count] = UInt32(carry)
            }
            return trim(out)
        }
        static func less(_ a: [UInt32], _ b: [UInt32]) -> Bool {
            if a.count != b.count { return a.count < b.count }
            for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] { return a[i] < b[i] }
            return false
        }
        /// By repeated subtraction of shifted copies (slow, plain).
        static func div(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
            var q: [UInt32] = []
            var r: [UInt32] = []
            for i in stride(from: a.count * 32 - 1, through: 0, by: -1) {
                r = trim(add(r, r))
                if (a[i / 32] >> UInt32(i % 32)) & 1 == 1 { r = add(r, [1]) }
                var digit: UInt32 = 0
                if !less(r, b) { r = sub(r, b); digit = 1 }
                q = trim(add(q, q))
                if digit == 1 { q = add(q, [1]) }
            }
            return q
        }
    }

    /// Inline values and limbs give the same results, across 64, 128 and
    /// 256 bits: sums, differences, products, quotients and comparisons.
    @Test func inlineValuesAgreeWithLimbs() {
        var rng = SystemRandomNumberGenerator()
        let edges: [UInt64] = [0, 1, 2, 3, 6745, UInt64(UInt32.max), UInt64(UInt32.max) + 1, 1 << 63, UInt64.max - 1, UInt64.max]
        var values: [BigNatural] = []
        for _ in 0..<70 {
            var v = BigNatural(Bool.random(using: &rng) ? edges.randomElement(using: &rng)! : UInt64.random(in: 0...UInt64.max, using: &rng))
            // One, two, three or four factors: up to 256 bits.
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                v = v * BigNatural(Bool.random(using: &rng) ? edges.randomElement(using: &rng)! : UInt64.random(in: 1...UInt64.max, using: &rng))
            }
            values.append(v)
        }
        values += [Self.big(.max, .max), Self.big(.max, .max) + BigNatural(1), Self.big(1, 0), BigNatural(0)]
        var checked = 0
        for a in values {
            for b in values {
                let (x, y) = (a.limbs, b.limbs)
                #expect(x == Limbs.trim(x))
                #expect((a + b).limbs == Limbs.add(x, y), "\(x) + \(y)")
                #expect((a * b).limbs == Limbs.mul(x, y), "\(x) * \(y)")
                #expect((a < b) == Limbs.less(x, y), "\(x) < \(y)")
                #expect((a == b) == (x == y))
                if !Limbs.less(x, y) { #expect((a - b).limbs == Limbs.sub(x, y), "\(x) - \(y)") }
                if !y.isEmpty && checked % 7 == 0 { #expect((a / b).limbs == Limbs.div(x, y), "\(x) / \(y)") }
                checked += 1
            }
        }
        #expect(checked == values.count * values.count)
        // Past 128 bits and back: (2^128 + 1) - 2 fits again, and equals
        // the same number made inline.
        let past = Self.big(.max, .max) + BigNatural(2)
        #expect(past.limbs == [1, 0, 0, 0, 1])
        #expect(past - BigNatural(2) == Self.big(.max, .max))
        #expect((past - BigNatural(3)).int == .max && BigNatural(41).int == 41)
        #expect(ExactFraction(2, 3).sixDecimals == "0.666667")
        // The same through long division on limbs.
        #expect(ExactFraction(numerator: past * BigNatural(2), denominator: past * BigNatural(3)).sixDecimals == "0.666667")
    }

    /// The median sorts plain pairs when every part fits 128 bits: the
    /// same value as sorting the fractions, ties and even counts included.
    @Test func theMedianOfPlainPairsIsTheSame() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let count = Int.random(in: 1...40, using: &rng)
            var values: [ExactFraction] = (0..<count).map { _ in
                let d = Int.random(in: 1...(round % 2 == 0 ? 6 : 1_000_000), using: &rng)
                return ExactFraction(Int.random(in: 0...(3 * d), using: &rng), d)
            }
            // Distances of fractions from a median: products of two parts.
            if round % 3 == 0 { values = values.map { ExactFraction.distance($0, values[0]) } }
            let sorted = values.sorted()
            let reference = count % 2 == 1 ? sorted[count / 2] : ExactFraction.mean(sorted[count / 2 - 1], sorted[count / 2])
            #expect(ExactFraction.median(values) == reference)
        }
        // A part past 128 bits: the fractions themselves are sorted.
        let huge = ExactFraction(numerator: Self.big(.max, .max) * BigNatural(5), denominator: BigNatural(2))
        #expect(ExactFraction.median([ExactFraction(1, 2), huge, ExactFraction(3, 1)]) == ExactFraction(3, 1))
        #expect(ExactFraction.median([ExactFraction(1, 2), huge]) == ExactFraction.mean(ExactFraction(1, 2), huge))
    }
}
