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
    public var acceptanceIssue: Issue? {
        get { issues?.acceptance }
        set { issues = newValue == nil && firstIssue == nil ? nil : RecordIssues(first: firstIssue, acceptance: newValue) }
    }
    /// The first issue of the file, for reports that show one line per file.
    public var firstIssue: Issue? { issues?.first }
    /// Both issues out of line: most files have neither, and two issues
    /// held inline were a third of every record (a national night over
    /// three periods keeps 25,686 of them).
    private var issues: RecordIssues?
    /// A dropout list's children as keyed hashes; the raw IDs are dropped
    /// as soon as the file is read.
    public package(set) var studentKeys: [StudentKey]
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
        issues = report.log.all.first { !$0.isWarning }.map { RecordIssues(first: $0, acceptance: nil) }
        self.studentKeys = studentKeys
        file = report.file
    }

    /// A record of nothing yet: what a slot holds until its file is read.
    package init(unread path: String) {
        self.path = path
        name = nil
        records = 0
        errors = 0
        warnings = 0
        firstError = nil
        totals = nil
        spool = nil
        issues = nil
        studentKeys = []
        file = nil
    }
}

/// A record's first issue and the one acceptance added, kept together
/// behind one reference.
final class RecordIssues: Sendable {
    let first: Issue?
    let acceptance: Issue?

    init(first: Issue?, acceptance: Issue?) {
        self.first = first
        self.acceptance = acceptance
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
