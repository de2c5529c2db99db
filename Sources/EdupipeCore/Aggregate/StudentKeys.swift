import Crypto

/// A child's keyed hash: the 32 bytes of HMAC-SHA256, as four words so a
/// key is stored and compared without an allocation.
public struct StudentKey: Hashable, Sendable, Comparable {
    let words: (UInt64, UInt64, UInt64, UInt64)

    init(_ mac: some Collection<UInt8>) {
        var w: [UInt64] = [0, 0, 0, 0]
        for (i, b) in mac.prefix(32).enumerated() { w[i / 8] = w[i / 8] << 8 | UInt64(b) }
        words = (w[0], w[1], w[2], w[3])
    }

    /// The first 16 hex digits, as written to `duplicates.csv`.
    public var shortHex: String {
        let h = String(words.0, radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h
    }

    public static func == (a: StudentKey, b: StudentKey) -> Bool { a.words == b.words }
    public func hash(into hasher: inout Hasher) { hasher.combine(words.0); hasher.combine(words.1) }
    public static func < (a: StudentKey, b: StudentKey) -> Bool { a.words < b.words }
}

/// Turns resident IDs into keyed hashes (HMAC-SHA256 with the installation's
/// secret): children are matched across counties by these keys, and only
/// these keys (shortened) are ever written.
///
/// Shared by the worker threads: it is never changed, and each use copies
/// the keyed HMAC state before feeding it.
public struct StudentKeys: @unchecked Sendable {
    /// An HMAC already keyed: each ID copies it instead of keying anew.
    private let keyed: HMAC<SHA256>

    public init(secret: [UInt8]) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: secret))
    }

    /// The HMAC of the canonical 18-character ID (check character `X` upper
    /// case) whose numeric form `ValueParsers.residentID` produced.
    public func key(forNumericID id: UInt64) -> StudentKey {
        // The 18 characters straight into a stack buffer: no String per child.
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let check = id % 11
        var body = id / 11
        return withUnsafeMutableBytes(of: &text) { bytes in
            bytes[17] = check == 10 ? UInt8(ascii: "X") : UInt8(ascii: "0") + UInt8(check)
            for i in stride(from: 16, through: 0, by: -1) {
                bytes[i] = UInt8(ascii: "0") + UInt8(body % 10)
                body /= 10
            }
            var mac = keyed
            mac.update(data: UnsafeRawBufferPointer(rebasing: bytes[0..<18]))
            return mac.finalize().withUnsafeBytes { StudentKey($0) }
        }
    }
}
