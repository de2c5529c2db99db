import EdupipeSupport

/// What identifies one version of a file in the run ledger.
public struct FileIdentity: Sendable, Equatable {
    public let size: Int
    public let sha256: [UInt8]

    public init(size: Int, sha256: [UInt8]) {
        self.size = size
        self.sha256 = sha256
    }

    public var hex: String { encodeHex(sha256) }

    /// Reads and hashes a whole file (for files that are not validated,
    /// such as a bad name, and for the plan and registry).
    public static func of(path: String) -> FileIdentity? {
        guard let source = try? FileSource(path: path, digesting: true) else { return nil }
        return source.finishDigest()
    }
}
