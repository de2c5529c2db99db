import EdupipeInput

/// Everything validation learned about one file.
public struct FileReport: Sendable {
    /// The file's identity: its path relative to the inbox (or as given).
    public let path: String
    /// The parsed name; nil for `E_FILENAME`.
    public let name: SubmissionName?
    /// Records read (data rows or `<record>` elements).
    public var records = 0
    public var log: IssueLog
    /// The text encoding the content was read in, where it was decided.
    public var encoding: String?
    /// SHA-256 of the typed records, to tell duplicates from conflicts.
    public var contentDigest: [UInt8]?
    /// The file's size and SHA-256, when asked for (the run ledger).
    public var file: FileIdentity?
    /// What the file contributes to the indicators when it is in force.
    public var totals: DatasetTotals?
    /// Bytes of content read, after decompression: the work the file cost.
    public var contentBytes = 0

    public init(path: String, name: SubmissionName?, log: IssueLog) {
        self.path = path
        self.name = name
        self.log = log
    }

    /// Valid under the standard: no error (warnings never reject).
    public var isValid: Bool { !log.hasErrors }
}
