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

    @Test func productsAtTheTopOf256Bits() {
        let top = Wide.product((.max, .max), (.max, .max))
        // (2^128 - 1)^2 = 2^256 - 2^129 + 1.
        #expect(top == (1, 0, .max - 1, .max))
        #expect(Wide.product((0, 1 << 63), (0, 2)) == (0, 1, 0, 0))
        #expect(Wide.less((5, 0, 0, 1), (0, 0, 0, 2)) && !Wide.less((0, 0, 0, 2), (5, 0, 0, 1)))
    }
}
