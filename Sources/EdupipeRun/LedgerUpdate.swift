import GRDB
import EdupipeAggregate

/// Brings the ledger's file versions up to what one run saw, inside the
/// run's closing transaction, and lists what changed.
struct LedgerUpdate {
    let db: Database
    let run: Int64
    /// When this run saw the files: its start.
    let seenAt: Int64

    /// A current version of a file, as the ledger holds it.
    private struct Version {
        let id: Int64
        let path: String
        let sha256: String
        let status: SubmissionStatus
        let records: Int
        let errors: Int
        let warnings: Int
        let firstError: String?
    }

    /// What the run writes once the scan of the current versions is over:
    /// a write during it would move rows under the cursor (the scan walks
    /// the index on (gone_at, path) that those writes change).
    private enum Write {
        /// Set the seen file's values on version `id` (and make it current).
        case update(id: Int64, file: Int)
        case insert(file: Int)
        case markGone(id: Int64)
    }

    /// Returns the changes, and the files seen by status. The ledger's
    /// current versions are read in path order beside the run's files in
    /// the same order (a merge, not a table of every file: on a national
    /// night over three periods that table was a quarter of the run's heap).
    func apply<Files: RandomAccessCollection<LedgerSeenFile>>(_ files: Files) throws -> ([LedgerChange], [SubmissionStatus: Int])
        where Files.Index == Int {
        var byStatus: [SubmissionStatus: Int] = [:]
        // SQLite orders text by its bytes (BINARY); so do these. The inbox
        // lists files in that order already; sorting is the fallback.
        let paths = files.map(\.path)
        var order = Array(paths.indices)
        if !zip(paths, paths.dropFirst()).allSatisfy({ !Self.less($1, $0) }) {
            order.sort { Self.less(paths[$0], paths[$1]) }
        }
        // Most files are the same every night: mark every current version
        // seen in one statement, and write rows only for what differs.
        try db.execute(sql: "UPDATE file_version SET last_seen = ?, last_run = ? WHERE gone_at IS NULL", arguments: [seenAt, run])
        let earlier = try db.cachedStatement(sql: "SELECT id FROM file_version WHERE path = ? AND sha256 = ?")
        let rows = try Row.fetchCursor(db, sql: """
            SELECT id, path, sha256, status, records, errors, warnings, first_error FROM file_version WHERE gone_at IS NULL ORDER BY path
            """)
        // A cursor's row is a view of the statement: its values are read
        // before the cursor moves on.
        func next() throws -> Version? {
            guard let row = try rows.next() else { return nil }
            return Version(id: row[0], path: row[1], sha256: row[2], status: row[3], records: row[4], errors: row[5],
                           warnings: row[6], firstError: row[7])
        }
        var pending = try next()
        var writes: [Write] = []
        var changes: [LedgerChange] = []
        func gone(_ v: Version) {
            writes.append(.markGone(id: v.id))
            changes.append(LedgerChange(path: v.path, kind: .gone, detail: nil))
        }
        for i in order {
            let f = files[files.startIndex + i]
            let sha256 = f.sha256
            byStatus[f.status, default: 0] += 1
            // Versions of paths before this one are of files no longer in the inbox.
            while let v = pending, Self.less(v.path, f.path) {
                gone(v)
                pending = try next()
            }
            var known: Version?
            if let v = pending, v.path == f.path {
                known = v
                pending = try next()
            }
            var previousStatus: SubmissionStatus?
            if let known, known.sha256 == sha256 {
                previousStatus = known.status
                if known.status != f.status || known.records != f.records || known.errors != f.errors
                    || known.warnings != f.warnings || known.firstError != f.firstError {
                    writes.append(.update(id: known.id, file: i))
                }
            } else {
                if let replaced = known { writes.append(.markGone(id: replaced.id)) }
                let wasKnown = try known != nil
                    || Int64.fetchOne(db, sql: "SELECT id FROM file_version WHERE path = ? LIMIT 1", arguments: [f.path]) != nil
                changes.append(LedgerChange(path: f.path, kind: wasKnown ? .changed : .added,
                                            detail: sha256.isEmpty ? "unreadable" : "sha256 \(sha256.prefix(12))…, \(f.size) bytes"))
                if let id = try Int64.fetchOne(earlier, arguments: [f.path, sha256]) {
                    // The same bytes as an earlier version, back again.
                    writes.append(.update(id: id, file: i))
                } else {
                    writes.append(.insert(file: i))
                }
            }
            if f.status == .superseded && previousStatus != .superseded {
                changes.append(LedgerChange(path: f.path, kind: .superseded, detail: nil))
            }
            if f.status == .rejected && previousStatus != .rejected {
                changes.append(LedgerChange(path: f.path, kind: .rejected, detail: f.firstError))
            }
        }
        while let v = pending {
            gone(v)
            pending = try next()
        }

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
        let markGone = try db.cachedStatement(sql: "UPDATE file_version SET gone_at = ?, gone_run = ? WHERE id = ?")
        for w in writes {
            switch w {
            case .update(let id, let i):
                let f = files[files.startIndex + i]
                try update.execute(arguments: [seenAt, run, f.status, f.records, f.errors, f.warnings, f.firstError, id])
            case .insert(let i):
                let f = files[files.startIndex + i]
                try insert.execute(arguments: [f.path, f.sha256, f.size, f.name?.county, f.name?.dataset.rawValue,
                                               f.name?.period, f.name?.revision, seenAt, run, seenAt, run,
                                               f.status, f.records, f.errors, f.warnings, f.firstError])
            case .markGone(let id):
                try markGone.execute(arguments: [seenAt, run, id])
            }
        }
        return (changes.sorted { ($0.path, $0.kind.rawValue) < ($1.path, $1.kind.rawValue) }, byStatus)
    }

    /// Byte order of UTF-8, which is SQLite's BINARY collation.
    static func less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
