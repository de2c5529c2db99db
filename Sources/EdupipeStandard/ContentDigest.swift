import Crypto

/// A SHA-256 over the typed values of every record, field by field, record
/// by record. Two files hold "the same records" (section 6) exactly when
/// their digests are equal: `Y` and `是`, `045` and `45`, `2023/3/1` and
/// `2023-03-01` encode the same, and unknown columns are never encoded.
///
/// Only needed when two valid files share a revision, so a digest made
/// with `enabled: false` does nothing and costs one branch per value.
struct ContentDigest {
    let enabled: Bool
    private var hasher = SHA256()
    private var scratch: [UInt8] = []

    init(enabled: Bool) {
        self.enabled = enabled
        if enabled { scratch.reserveCapacity(1 << 14) }
    }

    mutating func missing() { scratch.append(0) }

    mutating func int(_ n: Int?) {
        guard enabled else { return }
        guard let n else { return missing() }
        scratch.append(1)
        append(UInt64(n), bytes: 8)
    }

    mutating func uint(_ n: UInt64?) { int(n.map { Int(truncatingIfNeeded: $0) }) }

    mutating func bool(_ b: Bool?) {
        guard enabled else { return }
        guard let b else { return missing() }
        scratch.append(b ? 3 : 2)
    }

    /// A text value's bytes (the reader's, borrowed while the record is checked).
    mutating func text(_ v: some Collection<UInt8>) {
        guard enabled else { return }
        guard v.count > 0 else { return missing() }
        scratch.append(4)
        append(UInt64(v.count), bytes: 4)
        scratch.append(contentsOf: v)
    }

    /// The low `bytes` bytes of `n`, least significant first.
    private mutating func append(_ n: UInt64, bytes: Int) {
        for i in 0..<bytes { scratch.append(UInt8(truncatingIfNeeded: n >> (8 * UInt64(i)))) }
    }

    mutating func endRecord() {
        guard enabled else { return }
        scratch.append(0xFF)
        if scratch.count >= 1 << 13 { flush() }
    }

    private mutating func flush() {
        hasher.update(data: scratch)
        scratch.removeAll(keepingCapacity: true)
    }

    mutating func finalize() -> [UInt8]? {
        guard enabled else { return nil }
        flush()
        return Array(hasher.finalize())
    }
}
