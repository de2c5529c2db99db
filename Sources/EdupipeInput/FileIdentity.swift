import EdupipeSupport

/// What identifies one version of a file in the run ledger.
///
/// The digest is held as four words, not an array: a night keeps one per
/// file (25,686 on three national periods), and an array of 32 bytes is a
/// heap object of 64 (two megabytes in all, against 0.6 inline).
public struct FileIdentity: Sendable, Equatable {
    public let size: Int
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// `sha256` is 32 bytes (fewer are padded with zeros, more cut).
    public init(size: Int, sha256: [UInt8]) {
        self.size = size
        func word(_ i: Int) -> UInt64 {
            var w: UInt64 = 0
            for k in 0..<8 where 8 * i + k < sha256.count { w |= UInt64(sha256[8 * i + k]) << (56 - 8 * UInt64(k)) }
            return w
        }
        words = (word(0), word(1), word(2), word(3))
    }

    /// The 32 bytes of the SHA-256.
    public var sha256: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for w in [words.0, words.1, words.2, words.3] {
            for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: w >> (56 - 8 * UInt64(k)))) }
        }
        return bytes
    }

    public static func == (a: FileIdentity, b: FileIdentity) -> Bool { a.size == b.size && a.words == b.words }

    public var hex: String { encodeHex(sha256) }

    /// Reads and hashes a whole file (for files that are not validated,
    /// such as a bad name, and for the plan and registry).
    public static func of(path: String) -> FileIdentity? {
        guard let source = try? FileSource(path: path, digesting: true) else { return nil }
        return source.finishDigest()
    }
}
