import GRDB
import EdupipeAggregate

/// Brings the ledger's file versions up to what one run saw, inside the
/// run's closing transaction, and lists what changed.
struct LedgerUpdate {
    let db: Database
    let run: Int64
    /// When this run saw the files: its start.
    let seenAt: Int64

    private struct Current {
        let id: Int64
        let sha256: String
        let status: SubmissionStatus
        let records: Int
        let errors: Int
        let warnings: Int
        let firstError: String?
    }

    /// Returns the changes, and the files seen by status.
    func apply(_ files: some Sequence<LedgerSeenFile>) throws -> ([LedgerChange], [SubmissionStatus: Int]) {
        var byStatus: [SubmissionStatus: Int] = [:]
        var current: [String: Current] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT id, path, sha256, status, records, errors, warnings, first_error FROM file_version WHERE gone_at IS NULL
            """)
        // By position: looking columns up by name cost more than the values.
        while let row = try rows.next() {
            current[row[1]] = Current(id: row[0], sha256: row[2], status: row[3], records: row[4],
                                      errors: row[5], warnings: row[6], firstError: row[7])
        }
        // Most files are the same every night: mark every current version
        // seen in one statement, and write rows only for what differs.
        try db.execute(sql: "UPDATE file_version SET last_seen = ?, last_run = ? WHERE gone_at IS NULL", arguments: [seenAt, run])
        let update = try db.cachedStatement(sql: """
            UPDATE file_version SET last_seen = ?, last_run = ?, status = ?, records = ?, errors = ?, warnings = ?,
                first_error = ?, gone_at = NULL, gone_run = NULL
            WHERE id = ?
            """)
        let insert = try db.cachedStatement(sql: """
            INSERT INTO file_version (path, sha256, size, county, dataset, period, revision, first_seen, first_run,
                last_seen, last_run, status, records, errors, warnings, first_error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let earlier = try db.cachedStatement(sql: "SELECT id FROM file_version WHERE path = ? AND sha256 = ?")
        let markGone = try db.cachedStatement(sql: "UPDATE file_version SET gone_at = ?, gone_run = ? WHERE id = ?")

        var changes: [LedgerChange] = []
        for f in files {
            byStatus[f.status, default: 0] += 1
            var previousStatus: SubmissionStatus?
            let known = current.removeValue(forKey: f.path)
            if let known, known.sha256 == f.sha256 {
                previousStatus = known.status
                if known.status != f.status || known.records != f.records || known.errors != f.errors
                    || known.warnings != f.warnings || known.firstError != f.firstError {
                    try update.execute(arguments: [seenAt, run, f.status, f.records, f.errors, f.warnings, f.firstError, known.id])
                }
            } else {
                if let replaced = known {
                    try markGone.execute(arguments: [seenAt, run, replaced.id])
                }
                let wasKnown = try known != nil
                    || Int64.fetchOne(db, sql: "SELECT id FROM file_version WHERE path = ? LIMIT 1", arguments: [f.path]) != nil
                changes.append(LedgerChange(path: f.path, kind: wasKnown ? .changed : .added,
                                            detail: f.sha256.isEmpty ? "unreadable" : "sha256 \(f.sha256.prefix(12))…, \(f.size) bytes"))
                if let id = try Int64.fetchOne(earlier, arguments: [f.path, f.sha256]) {
                    // The same bytes as an earlier version, back again.
                    try update.execute(arguments: [seenAt, run, f.status, f.records, f.errors, f.warnings, f.firstError, id])
                } else {
                    try insert.execute(arguments: [f.path, f.sha256, f.size, f.name?.county, f.name?.dataset.rawValue,
                                                   f.name?.period, f.name?.revision, seenAt, run, seenAt, run,
                                                   f.status, f.records, f.errors, f.warnings, f.firstError])
                }
            }
            if f.status == .superseded && previousStatus != .superseded {
                changes.append(LedgerChange(path: f.path, kind: .superseded, detail: nil))
            }
            if f.status == .rejected && previousStatus != .rejected {
                changes.append(LedgerChange(path: f.path, kind: .rejected, detail: f.firstError))
            }
        }
        for (path, gone) in current {
            try markGone.execute(arguments: [seenAt, run, gone.id])
            changes.append(LedgerChange(path: path, kind: .gone, detail: nil))
        }
        return (changes.sorted { ($0.path, $0.kind.rawValue) < ($1.path, $1.kind.rawValue) }, byStatus)
    }
}
