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
        withUnsafeBytes(of: UInt64(n).littleEndian) { scratch.append(contentsOf: $0) }
    }

    mutating func uint(_ n: UInt64?) { int(n.map { Int(truncatingIfNeeded: $0) }) }

    mutating func bool(_ b: Bool?) {
        guard enabled else { return }
        guard let b else { return missing() }
        scratch.append(b ? 3 : 2)
    }

    mutating func text(_ v: UnsafeRawBufferPointer) {
        guard enabled else { return }
        guard v.count > 0 else { return missing() }
        scratch.append(4)
        withUnsafeBytes(of: UInt32(v.count).littleEndian) { scratch.append(contentsOf: $0) }
        scratch.append(contentsOf: v)
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
