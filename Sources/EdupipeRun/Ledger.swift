#if canImport(Glibc)
import Glibc
#endif
import GRDB
import EdupipeSupport
import EdupipeInput
import EdupipeAggregate

/// The run ledger, in SQLite under the state folder: every run, and every
/// version of every file a run has seen (its bytes' SHA-256, when it was
/// first and last seen, its status). It is for audit and operations; the
/// tables are always recomputed from the inbox.
///
/// WAL mode and one transaction per step keep it consistent when a run is
/// killed: a run that never finished stays `running` until the next run
/// (which holds the state lock, so it knows) marks it `interrupted`.
public final class Ledger: Sendable {
    public static let fileName = "state.sqlite"
    let pool: DatabasePool
    public let path: String
    /// Writes of concurrent requests, committed together (`edupipe serve`).
    let group: GroupCommit

    /// Opens (creating when absent) the ledger in `directory`. `durable`:
    /// every commit is synced before it returns (`edupipe serve`, which
    /// promises a receipt only for what is on disk); a run syncs less.
    public init(directory: String, durable: Bool = false) throws {
        path = directory + "/" + Self.fileName
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        // The ledger is written once per run: a small page cache is enough
        // and keeps the run's peak memory low.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -512") }
        // SQLite takes an empty file for a new database: a ledger cut to
        // zero bytes would silently start a new history. An empty file is
        // also what a first run killed at once leaves; the marker, written
        // once the ledger has been made, tells the two apart.
        let marker = path + Self.createdSuffix
        var st = stat()
        if stat(path, &st) == 0 && st.st_size == 0 && access(marker, F_OK) == 0 {
            throw EdupipeError(.invalidFile, "the run ledger \(path) is empty (0 bytes) although a run made it before: it was cut short or damaged. \(Self.advice(path))")
        }
        do {
            try makeDirectories(directory)
            pool = try DatabasePool(path: path, configuration: configuration)
            // synchronous=NORMAL in WAL mode for runs: a killed process
            // loses nothing committed, and a power cut at worst the last
            // run's record, never consistency; it saves an fsync per
            // transaction. FULL for the server, whose receipts promise the
            // disk. Set on the writer once the pool is open: GRDB's WAL
            // set-up sets NORMAL after `prepareDatabase`, so a FULL set
            // there was undone and receipts were not synced at commit.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(durable ? "FULL" : "NORMAL")") }
            try LedgerSchema.migrator.migrate(pool)
            group = GroupCommit(pool: pool)
        } catch {
            throw Self.explain(error, path: path)
        }
        if access(marker, F_OK) != 0 {
            let fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
            if fd >= 0 { close(fd) }
        }
    }

    /// Beside the ledger once it has been made: `state.sqlite.made`.
    static let createdSuffix = ".made"

    /// What to do with a damaged ledger; edupipe never starts a new history
    /// by itself.
    static func advice(_ path: String) -> String {
        "Restore it from a backup, or move it aside (mv \(path) \(path).damaged) to start a new history: the tables do not depend on it, only `status` and `history` do"
    }

    /// SQLite's error in words: a damaged file says so and what to do.
    static func explain(_ error: Error, path: String) -> EdupipeError {
        if let db = error as? DatabaseError,
           [ResultCode.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(db.resultCode.primaryResultCode) {
            return EdupipeError(.invalidFile, "the run ledger \(path) is damaged (not a readable SQLite database: \(db.message ?? "\(db.resultCode)")). \(advice(path))")
        }
        return EdupipeError(.io, "cannot open the run ledger \(path): \(error)", cause: error)
    }

    /// The ledger in `directory` if a run has created one, for the commands
    /// that only read it.
    public static func existing(directory: String) throws -> Ledger? {
        guard access(directory + "/" + fileName, F_OK) == 0 else { return nil }
        return try Ledger(directory: directory)
    }

    /// Records the start of a run and returns its id. Runs left `running`
    /// were killed: the caller holds the state lock, so none is alive.
    public func beginRun(_ start: LedgerRunStart) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: "UPDATE run SET outcome = 'interrupted' WHERE outcome = 'running'")
            try db.execute(sql: """
                INSERT INTO run (started_at, version, pid, inbox, out, pipeline_path, pipeline_sha256, registry_sha256, outcome)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running')
                """, arguments: [start.startedAt, start.version, start.pid, start.inbox, start.out,
                                 start.pipelinePath, start.pipelineSHA256, start.registrySHA256])
            return db.lastInsertedRowID
        }
    }

    /// Records a run that stopped on an error.
    public func failRun(id: Int64, endedAt: Int64, message: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE run SET ended_at = ?, outcome = 'failed', message = ? WHERE id = ?",
                           arguments: [endedAt, message, id])
        }
    }

    /// What is needed to say who has reported each period.
    public struct ReportingQuery {
        public let periods: [String]
        public let registry: Registry
        public let datasets: [Dataset]
        public let deadlines: [String: String]
        public init(periods: [String], registry: Registry, datasets: [Dataset], deadlines: [String: String]) {
            self.periods = periods
            self.registry = registry
            self.datasets = datasets
            self.deadlines = deadlines
        }
    }

    /// Records every file the run saw, marks the files no longer in the
    /// inbox as gone, reads back who has reported, and closes the run; all
    /// in one transaction, while the run's outputs are being written:
    /// `beforeCommit` waits for them and returns the end time. If it throws,
    /// the transaction is rolled back: a run is never recorded completed
    /// without its outputs. Returns what changed since the files' previous
    /// state, and who has reported.
    public func finishRun<Files: RandomAccessCollection<LedgerSeenFile>>(
        id: Int64, startedAt: Int64, files: Files, reporting query: ReportingQuery, beforeCommit: () throws -> Int64
    ) throws -> (changes: [LedgerChange], reporting: [ReportingStatus]) where Files.Index == Int {
        try pool.write { db in
            let (changes, byStatus) = try LedgerUpdate(db: db, run: id, seenAt: startedAt).apply(files)
            // Arrival is the first sighting of a file, whatever became of
            // the run: what this transaction wrote is what a later read
            // would see.
            let reporting = try query.periods.map {
                // The summary prints the provinces' counts: no row per county
                // (25,000 of them on a national night over three periods).
                try Self.reportingStatus(db, period: $0, registry: query.registry, datasets: query.datasets, deadlines: query.deadlines, province: nil,
                                         listingCounties: false)
            }
            let endedAt = try beforeCommit()
            var byChange: [LedgerChange.Kind: Int] = [:]
            for c in changes { byChange[c.kind, default: 0] += 1 }
            try db.execute(sql: """
                UPDATE run SET ended_at = ?, outcome = 'completed', files = ?, accepted = ?, superseded = ?,
                    duplicate = ?, rejected = ?, added = ?, changed = ?, gone = ?, newly_superseded = ?, newly_rejected = ?
                WHERE id = ?
                """, arguments: [endedAt, byStatus.values.reduce(0, +), byStatus[.accepted] ?? 0, byStatus[.superseded] ?? 0,
                                 byStatus[.duplicate] ?? 0, byStatus[.rejected] ?? 0,
                                 byChange[.added] ?? 0, byChange[.changed] ?? 0, byChange[.gone] ?? 0,
                                 byChange[.superseded] ?? 0, byChange[.rejected] ?? 0, id])
            let insert = try db.cachedStatement(sql: "INSERT INTO run_change (run_id, path, change, detail) VALUES (?, ?, ?, ?)")
            for c in changes {
                try insert.execute(arguments: [id, c.path, c.kind.rawValue, c.detail])
            }
            return (changes, reporting)
        }
    }

    /// The files in the inbox at the last completed run: one version per path.
    public func currentFiles() throws -> [LedgerFile] {
        try pool.read { db in
            // A cursor, not fetchAll: one row object at a time.
            var files: [LedgerFile] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT \(LedgerFile.columns) FROM file_version WHERE gone_at IS NULL ORDER BY path")
            while let row = try rows.next() { files.append(LedgerFile(row: row)) }
            return files
        }
    }

    /// Who has reported `period`, from the files in the inbox at the last run.
    public func reportingStatus(period: String, registry: Registry, datasets: [Dataset], deadlines: [String: String],
                                province: String? = nil) throws -> ReportingStatus {
        try pool.read { db in
            try Self.reportingStatus(db, period: period, registry: registry, datasets: datasets, deadlines: deadlines, province: province)
        }
    }

    private static func reportingStatus(_ db: Database, period: String, registry: Registry, datasets: [Dataset], deadlines: [String: String],
                                        province: String?, listingCounties: Bool = true) throws -> ReportingStatus {
        // Row by row through a cursor; a read error ends the walk and is
        // thrown, never taken for the end of the files.
        let rows = try Row.fetchCursor(db, sql: "SELECT \(ReportingStatus.File.columns) FROM file_version WHERE \(ReportingStatus.File.condition) ORDER BY path",
                                       arguments: [period])
        var failure: (any Error)?
        let files = AnyIterator<ReportingStatus.File> {
            do {
                return try rows.next().map(ReportingStatus.File.init(row:))
            } catch {
                failure = error
                return nil
            }
        }
        let status = ReportingStatus(period: period, files: AnySequence { files }, registry: registry, datasets: datasets,
                                     deadlines: deadlines, province: province, listingCounties: listingCounties)
        if let failure { throw failure }
        return status
    }

    /// The periods of the files in the inbox at the last run.
    public func currentPeriods() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT period FROM file_version WHERE gone_at IS NULL AND period IS NOT NULL ORDER BY period")
        }
    }

    /// Every version of the files under `path`, oldest first.
    public func versions(path: String) throws -> [LedgerFile] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(LedgerFile.columns) FROM file_version WHERE path = ? ORDER BY id", arguments: [path])
                .map(LedgerFile.init(row:))
        }
    }

    /// The most recent runs, newest first.
    public func runs(limit: Int) throws -> [LedgerRun] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id DESC LIMIT ?", arguments: [limit]).map(LedgerRun.init(row:))
        }
    }

    /// SQLite's own check of the database file: `ok` when it is sound.
    public func integrityCheck() throws -> String {
        try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

    /// The last run that completed: the state `status` reports.
    public func lastCompletedRun() throws -> LedgerRun? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM run WHERE outcome = 'completed' ORDER BY id DESC LIMIT 1").map(LedgerRun.init(row:))
        }
    }

    /// What a run changed, in path order.
    public func changes(run: Int64) throws -> [LedgerChange] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run_change WHERE run_id = ? ORDER BY path, change", arguments: [run])
                .compactMap { row in
                    LedgerChange.Kind(rawValue: row["change"]).map { LedgerChange(path: row["path"], kind: $0, detail: row["detail"]) }
                }
        }
    }
}
