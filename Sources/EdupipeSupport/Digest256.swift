/// 32 bytes (a SHA-256 or HMAC-SHA256) as four big-endian words, so that a
/// record or a key holds them inline, without an array on the heap, and
/// compares them word by word: the ledger's file digests and the children's
/// keyed hashes.
public struct Digest256: Sendable, Hashable, Comparable {
    public let words: (UInt64, UInt64, UInt64, UInt64)

    /// Four big-endian words, as a hash function computed them.
    @inlinable
    public init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// The first 32 bytes (fewer are padded with zeros).
    @inlinable
    public init(_ bytes: some Sequence<UInt8>) {
        var w: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for (i, byte) in bytes.prefix(32).enumerated() {
            let b = UInt64(byte) << (56 - 8 * UInt64(i & 7))
            switch i >> 3 {
            case 0: w.0 |= b
            case 1: w.1 |= b
            case 2: w.2 |= b
            default: w.3 |= b
            }
        }
        words = w
    }

    /// The 32 bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for w in [words.0, words.1, words.2, words.3] {
            for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: w >> (56 - 8 * UInt64(k)))) }
        }
        return out
    }

    public static func == (a: Digest256, b: Digest256) -> Bool { a.words == b.words }
    /// Two words are plenty to spread digests over a table.
    public func hash(into hasher: inout Hasher) { hasher.combine(words.0); hasher.combine(words.1) }
    public static func < (a: Digest256, b: Digest256) -> Bool { a.words < b.words }
}
