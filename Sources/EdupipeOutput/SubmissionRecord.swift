import EdupipeInput
import EdupipeStandard
import EdupipeAggregate

/// What a run keeps of one file once it is read: counts, the first error,
/// the totals, and where its issue rows wait on disk.
///
/// Loops over a run's records read their fields in place, by index
/// (`records[i].path`, which the array's subscript reads where the record
/// lies): binding a record (`for s in submissions`) copies it and retains
/// every string it holds, and on a national run those are 8,562 records'
/// scattered objects, each retain a cache miss.
public struct SubmissionRecord: Sendable {
    public let path: String
    public let name: SubmissionName?
    public let records: Int
    public var errors: Int
    public let warnings: Int
    public var firstError: IssueCode?
    public let totals: DatasetTotals?
    /// The worker whose spool holds this file's rows, and where.
    public let spool: (worker: Int, segment: IssueSpool.Segment)?
    public var status: SubmissionStatus = .rejected
    /// An issue the acceptance rules added (`E_REVISION_CONFLICT`).
    public var acceptanceIssue: Issue?
    /// The first issue of the file, for reports that show one line per file.
    public let firstIssue: Issue?
    /// A dropout list's children as keyed hashes; the raw IDs are dropped
    /// as soon as the file is read.
    public let studentKeys: [StudentKey]
    /// Size and SHA-256 of the file's bytes, when the run keeps a ledger.
    public let file: FileIdentity?

    package init(_ report: FileReport, spool: (worker: Int, segment: IssueSpool.Segment)?, studentKeys: [StudentKey]) {
        path = report.path
        name = report.name
        records = report.records
        errors = report.log.errorCount
        warnings = report.log.warningCount
        firstError = report.log.firstError
        totals = report.totals
        self.spool = spool
        firstIssue = report.log.all.first { !$0.isWarning }
        self.studentKeys = studentKeys
        file = report.file
    }
}

extension Array where Element == SubmissionRecord {
    /// How many records have `status`, read in place.
    package func count(of status: SubmissionStatus) -> Int {
        var n = 0
        for i in indices where self[i].status == status { n += 1 }
        return n
    }
}
