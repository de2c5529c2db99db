import EdupipeInput
import EdupipeStandard
import EdupipeAggregate

/// What a run keeps of one file once it is read: counts, the first error,
/// and where its issue rows wait on disk. Its totals are not kept here:
/// the run hands them to the counties' files in force and drops the rest.
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
    /// The worker whose spool holds this file's rows, and where.
    public var spool: (worker: Int, segment: IssueSpool.Segment)? { issues?.spool }
    public var status: SubmissionStatus = .rejected
    /// An issue the acceptance rules added (`E_REVISION_CONFLICT`).
    public var acceptanceIssue: Issue? {
        get { issues?.acceptance }
        set { issues = RecordIssues.make(first: firstIssue, acceptance: newValue, spool: spool) }
    }
    /// The first issue of the file, for reports that show one line per file.
    public var firstIssue: Issue? { issues?.first }
    /// Both issues and the spool's place out of line: most files have
    /// none, and two issues held inline were a third of every record (a
    /// national night over three periods keeps 25,686 of them).
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
        issues = RecordIssues.make(first: report.log.all.first { !$0.isWarning }, acceptance: nil, spool: spool)
        self.studentKeys = studentKeys
        file = report.file
    }

    /// A record of nothing yet (no path, no counts): what a slot holds
    /// until its file is read.
    package static var unread: SubmissionRecord { SubmissionRecord() }

    private init() {
        path = ""
        name = nil
        records = 0
        errors = 0
        warnings = 0
        firstError = nil
        issues = nil
        studentKeys = []
        file = nil
    }
}

/// A record's first issue, the one acceptance added and where its issue
/// rows wait, kept together behind one reference.
final class RecordIssues: Sendable {
    let first: Issue?
    let acceptance: Issue?
    let spool: (worker: Int, segment: IssueSpool.Segment)?

    private init(first: Issue?, acceptance: Issue?, spool: (worker: Int, segment: IssueSpool.Segment)?) {
        self.first = first
        self.acceptance = acceptance
        self.spool = spool
    }

    /// Nil when there is nothing to hold: a file without issues.
    static func make(first: Issue?, acceptance: Issue?, spool: (worker: Int, segment: IssueSpool.Segment)?) -> RecordIssues? {
        first == nil && acceptance == nil && spool == nil ? nil : RecordIssues(first: first, acceptance: acceptance, spool: spool)
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
