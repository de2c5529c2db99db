/// SplitMix64: small, fast and fully determined by its seed, so a synthetic
/// inbox is the same for a seed whatever the thread count.
struct SynthRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64, stream: UInt64) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 ^ stream &* 0xBF58_476D_1CE4_E5B9
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    /// Roughly normal (sum of four uniforms), rounded.
    mutating func around(_ mean: Double, spread: Double) -> Int {
        var sum = 0.0
        for _ in 0..<4 { sum += Double.random(in: -1...1, using: &self) }
        return Int((mean + sum * spread * 0.866).rounded())
    }
}
