import GRDB
import EdupipeInput
import EdupipeAggregate
import EdupipeOutput

/// Statuses are stored as their raw values (`accepted`, ...).
extension SubmissionStatus: DatabaseValueConvertible {}

/// What the ledger and `run.json` record of a run when it starts: the plan
/// and registry are hashed here, once per run.
public struct LedgerRunStart: Sendable {
    public var startedAt: Int64
    public var version = EdupipeVersion.current
    public var pid: Int
    public var inbox: String
    public var out: String
    public var pipelinePath: String?
    public var pipelineSHA256: String?
    public var registryPath: String?
    public var registrySHA256: String?
    /// `--scope`: the province or prefecture the run covers; nil, the nation.
    public var scope: String? = nil
}

/// One file as this run saw it.
public struct LedgerSeenFile: Sendable {
    public let path: String
    /// Size and digest of the bytes; nil when the file could not be read.
    let file: FileIdentity?
    /// Empty when the file could not be read at all. Made when asked: the
    /// closing update reads the run's files twice (their paths to check
    /// the order, then each file) and needs the digest once.
    public var sha256: String { file?.hex ?? "" }
    public var size: Int { file?.size ?? -1 }
    public let name: SubmissionName?
    public let status: SubmissionStatus
    public let records: Int
    public let errors: Int
    public let warnings: Int
    public let firstError: String?

    public init(_ s: SubmissionRecord) {
        path = s.path
        file = s.file
        name = s.name
        status = s.status
        records = s.records
        errors = s.errors
        warnings = s.warnings
        firstError = s.firstError?.rawValue
    }
}

/// One version of one file, as the ledger holds it.
public struct LedgerFile: Sendable, Equatable {
    public let id: Int64
    public let path: String
    public let sha256: String
    public let size: Int
    public let county: String?
    public let dataset: String?
    public let period: String?
    public let revision: Int?
    public let firstSeen: Int64
    public let firstRun: Int64
    public let lastSeen: Int64
    public let lastRun: Int64
    public let goneAt: Int64?
    public let status: SubmissionStatus
    public let records: Int
    public let errors: Int
    public let warnings: Int
    public let firstError: String?

    /// The columns `init(row:)` reads, in its order: select exactly these.
    static let columns = "id, path, sha256, size, county, dataset, period, revision, first_seen, first_run, last_seen, last_run, gone_at, status, records, errors, warnings, first_error"

    /// Decodes by position, not by name: a reporting status reads a row per
    /// current file, and GRDB's lookup of a column by name costs more than
    /// the value.
    init(row: Row) {
        id = row[0]
        path = row[1]
        sha256 = row[2]
        size = row[3]
        county = row[4]
        dataset = row[5]
        period = row[6]
        revision = row[7]
        firstSeen = row[8]
        firstRun = row[9]
        lastSeen = row[10]
        lastRun = row[11]
        goneAt = row[12]
        status = row[13]
        records = row[14]
        errors = row[15]
        warnings = row[16]
        firstError = row[17]
    }
}

/// One run, as the ledger holds it.
public struct LedgerRun: Sendable {
    public let id: Int64
    public let startedAt: Int64
    public let endedAt: Int64?
    public let version: String
    public let inbox: String
    public let out: String
    public let pipelineSHA256: String?
    public let registrySHA256: String?
    /// `running`, `completed`, `failed` or `interrupted` (killed).
    public let outcome: String
    public let message: String?
    public let files: Int?
    /// Files by acceptance status: accepted, superseded, duplicate, rejected.
    public let statuses: [(String, Int)]
    /// Changes since the previous state: added, changed, gone, superseded, rejected.
    public let changes: [(LedgerChange.Kind, Int)]

    init(row: Row) {
        id = row["id"]
        startedAt = row["started_at"]
        endedAt = row["ended_at"]
        version = row["version"]
        inbox = row["inbox"]
        out = row["out"]
        pipelineSHA256 = row["pipeline_sha256"]
        registrySHA256 = row["registry_sha256"]
        outcome = row["outcome"]
        message = row["message"]
        files = row["files"]
        // In the order of `edupipe history`'s columns; each is a column of `run`.
        statuses = [SubmissionStatus.accepted, .superseded, .duplicate, .rejected].map { ($0.rawValue, (row[$0.rawValue] as Int?) ?? 0) }
        changes = [(LedgerChange.Kind.added, "added"), (.changed, "changed"), (.gone, "gone"),
                   (.superseded, "newly_superseded"), (.rejected, "newly_rejected")]
            .map { ($0.0, (row[$0.1] as Int?) ?? 0) }
    }
}

/// One thing a run found different from the ledger's previous state.
public struct LedgerChange: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A path not in the inbox before.
        case added
        /// New bytes under a path already known: a new version.
        case changed
        /// A path no longer in the inbox.
        case gone
        /// A file now superseded (by a later revision) that was not before.
        case superseded
        /// A file now rejected that was not before (new, or a revision conflict).
        case rejected
    }

    public let path: String
    public let kind: Kind
    public let detail: String?
}
