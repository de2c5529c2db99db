import Crypto
import EdupipeSupport

/// A child's keyed hash: the 32 bytes of HMAC-SHA256, as four words so a
/// key is stored and compared without an allocation.
public struct StudentKey: Hashable, Sendable, Comparable {
    let digest: Digest256

    /// The first 32 bytes, as big-endian words (fewer are zeros).
    init(_ mac: some Sequence<UInt8>) { digest = Digest256(mac) }

    /// The first 16 hex digits, as written to `duplicates.csv`.
    public var shortHex: String {
        let h = String(digest.words.0, radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h
    }

    public static func < (a: StudentKey, b: StudentKey) -> Bool { a.digest < b.digest }
}

/// Turns resident IDs into keyed hashes (HMAC-SHA256 with the installation's
/// secret): children are matched across counties by these keys, and only
/// these keys (shortened) are ever written.
///
/// Shared by the worker threads: it is never changed, and each use copies
/// the keyed hash states before feeding them.
///
/// HMAC (RFC 2104) is spelled out over `SHA256`, with the inner and outer
/// states keyed once: the same bytes as Crypto's `HMAC<SHA256>`, whose
/// generic path cost about a microsecond and a half a child.
public struct StudentKeys: @unchecked Sendable {
    /// SHA-256 after (key ⊕ ipad), and after (key ⊕ opad).
    private let inner: SHA256
    private let outer: SHA256

    public init(secret: [UInt8]) {
        // A key longer than the block is hashed first; shorter ones are
        // padded with zeros to the 64-byte block.
        var block = secret.count > 64 ? Array(SHA256.hash(data: secret)) : secret
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256()
        var outer = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        outer.update(data: block.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
    }

    /// The HMAC of the canonical 18-character ID (check character `X` upper
    /// case) whose numeric form `ValueParsers.residentID` produced.
    public func key(forNumericID id: UInt64) -> StudentKey {
        // The 18 characters into a small array: no String per child.
        var text = [UInt8](repeating: UInt8(ascii: "0"), count: 18)
        let check = id % 11
        var body = id / 11
        text[17] = check == 10 ? UInt8(ascii: "X") : UInt8(ascii: "0") + UInt8(check)
        for i in stride(from: 16, through: 0, by: -1) {
            text[i] = UInt8(ascii: "0") + UInt8(body % 10)
            body /= 10
        }
        var innerHash = inner
        innerHash.update(data: text)
        var outerHash = outer
        outerHash.update(data: Array(innerHash.finalize()))
        return StudentKey(outerHash.finalize())
    }
}
