import Crypto

/// A SHA-256 over the typed values of every record, field by field, record
/// by record. Two files hold "the same records" (section 6) exactly when
/// their digests are equal: `Y` and `是`, `045` and `45`, `2023/3/1` and
/// `2023-03-01` encode the same, and unknown columns are never encoded.
struct ContentDigest {
    private var hasher = SHA256()
    private var scratch: [UInt8] = []

    init() { scratch.reserveCapacity(1 << 14) }

    mutating func missing() { scratch.append(0) }

    mutating func int(_ n: Int?) {
        guard let n else { return missing() }
        scratch.append(1)
        withUnsafeBytes(of: UInt64(n).littleEndian) { scratch.append(contentsOf: $0) }
    }

    mutating func uint(_ n: UInt64?) { int(n.map { Int(truncatingIfNeeded: $0) }) }

    mutating func bool(_ b: Bool?) {
        guard let b else { return missing() }
        scratch.append(b ? 3 : 2)
    }

    mutating func text(_ v: UnsafeRawBufferPointer) {
        guard v.count > 0 else { return missing() }
        scratch.append(4)
        withUnsafeBytes(of: UInt32(v.count).littleEndian) { scratch.append(contentsOf: $0) }
        scratch.append(contentsOf: v)
    }

    mutating func endRecord() {
        scratch.append(0xFF)
        if scratch.count >= 1 << 13 { flush() }
    }

    private mutating func flush() {
        hasher.update(data: scratch)
        scratch.removeAll(keepingCapacity: true)
    }

    mutating func finalize() -> [UInt8] {
        flush()
        return Array(hasher.finalize())
    }
}
