import EdupipeSupport

/// What identifies one version of a file in the run ledger.
///
/// The digest is held as four words (`Digest256`), not an array: a night keeps one per
/// file (25,686 on three national periods), and an array of 32 bytes is a
/// heap object of 64 (two megabytes in all, against 0.6 inline).
public struct FileIdentity: Sendable, Equatable {
    public let size: Int
    private let digest: Digest256

    /// `sha256` is 32 bytes (fewer are padded with zeros, more cut).
    public init(size: Int, sha256: [UInt8]) {
        self.size = size
        digest = Digest256(sha256)
    }

    /// The 32 bytes of the SHA-256.
    public var sha256: [UInt8] { digest.bytes }

    public var hex: String { encodeHex(sha256) }

    /// Reads and hashes a whole file (for files that are not validated,
    /// such as a bad name, and for the plan and registry).
    public static func of(path: String) -> FileIdentity? {
        guard let source = try? FileSource(path: path, digesting: true) else { return nil }
        return source.finishDigest()
    }
}
