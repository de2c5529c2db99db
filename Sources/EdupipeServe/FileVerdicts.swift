import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import EdupipeStandard

/// What the acceptance rules need of each file in the inbox (valid or not,
/// its records' digest and count), remembered by path and checked against
/// the file's size and modification time, so a file is read once however
/// often its group is asked about.
final class FileVerdicts: Sendable {
    struct Verdict: Sendable {
        let size: Int
        let modified: Int64
        let isValid: Bool
        let digest: [UInt8]?
        let records: Int
        /// What the file counts (valid files): for the quality checks.
        let totals: DatasetTotals?

        /// When the file came: its modification time (seconds), until the
        /// ledger knows better.
        var modifiedSeconds: Int64 { modified / 1_000_000_000 }
    }

    let root: String
    let validator: SubmissionValidator
    private let cache = Mutex([String: Verdict]())

    init(root: String, validator: SubmissionValidator) {
        self.root = root
        self.validator = validator
    }

    /// The file's size and modification time (nanoseconds), or nil when it
    /// is gone.
    static func stamp(_ path: String) -> (size: Int, modified: Int64)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return stamp(st)
    }

    private static func stamp(_ st: stat) -> (size: Int, modified: Int64) {
        (Int(st.st_size), Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
    }

    /// The verdict on the inbox file at `path`, validating it when it is new
    /// or has changed, or when `digest` asks for its records' digest and it
    /// was read without (the digest is needed only for files that share a
    /// revision); nil when it is gone.
    func verdict(_ path: String, digest: Bool = true) -> Verdict? {
        guard let s = Self.stamp(root + "/" + path) else { return nil }
        if let v = cache.withLock({ $0[path] }), v.size == s.size, v.modified == s.modified,
           !(digest && v.isValid && v.digest == nil) { return v }
        let report = validator.validate(path: root + "/" + path, displayPath: path, digest: digest)
        return remember(path, report: report)
    }

    /// Remembers a report just made of the file at `path`, stamped through
    /// `descriptor` when the caller has the file open (an upload just
    /// linked: the same file, without a walk of its path).
    @discardableResult
    func remember(_ path: String, report: FileReport, descriptor: Int32? = nil) -> Verdict? {
        var st = stat()
        let s: (size: Int, modified: Int64)?
        if let descriptor, fstat(descriptor, &st) == 0 { s = Self.stamp(st) } else { s = Self.stamp(root + "/" + path) }
        guard let s else { return nil }
        let v = Verdict(size: s.size, modified: s.modified, isValid: report.isValid, digest: report.contentDigest,
                        records: report.records, totals: report.totals)
        cache.withLock { $0[path] = v }
        return v
    }
}
