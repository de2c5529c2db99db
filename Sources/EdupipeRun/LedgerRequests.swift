import GRDB

/// One request to `edupipe serve`, as the ledger keeps it for audit: who,
/// what, the verdict, bytes and milliseconds. Paths are inbox paths (file
/// names and folders of codes): no record content is ever in a request row.
public struct RequestRecord: Sendable, Equatable {
    public var at: Int64
    public var accountID: Int64?
    public var unit: String?
    public var method: String
    public var target: String
    public var status: Int
    public var file = UploadFacts()
    public var dryRun = false
    public var milliseconds: Int

    public init(at: Int64, accountID: Int64?, unit: String?, method: String, target: String, status: Int, milliseconds: Int) {
        self.at = at
        self.accountID = accountID
        self.unit = unit
        self.method = method
        self.target = target
        self.status = status
        self.milliseconds = milliseconds
    }

    init(row: Row) {
        at = row["at"]
        accountID = row["account_id"]
        unit = row["unit"]
        method = row["method"]
        target = row["target"]
        status = row["status"]
        file = UploadFacts(path: row["path"], sha256: row["sha256"], bytes: row["bytes"], verdict: row["verdict"],
                           acceptance: row["acceptance"], records: row["records"], errors: row["errors"], firstError: row["first_error"])
        dryRun = row["dry_run"]
        milliseconds = row["ms"]
    }

    var arguments: StatementArguments {
        [at, accountID, unit, method, target, status, file.path, file.sha256, file.bytes, file.verdict, file.acceptance,
         file.records, file.errors, file.firstError, dryRun ? 1 : 0, milliseconds]
    }
    static let insert = """
        INSERT INTO request (at, account_id, unit, method, target, status, path, sha256, bytes, verdict, acceptance,
                             records, errors, first_error, dry_run, ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
}

/// What a request said of a file: where it is, its bytes, its verdict and
/// what acceptance makes of it (nil where the request never got so far).
public struct UploadFacts: Sendable, Equatable {
    public var path: String?
    public var sha256: String?
    public var bytes: Int?
    public var verdict: String?
    public var acceptance: String?
    public var records: Int?
    public var errors: Int?
    public var firstError: String?

    public init(path: String? = nil, sha256: String? = nil, bytes: Int? = nil, verdict: String? = nil, acceptance: String? = nil,
                records: Int? = nil, errors: Int? = nil, firstError: String? = nil) {
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
        self.verdict = verdict
        self.acceptance = acceptance
        self.records = records
        self.errors = errors
        self.firstError = firstError
    }
}

/// The first receipt of a stored file.
public struct StoredReceipt: Sendable, Equatable {
    public let path: String
    public let sha256: String
    public let receivedAt: Int64
    public let body: String

    public init(path: String, sha256: String, receivedAt: Int64, body: String) {
        self.path = path
        self.sha256 = sha256
        self.receivedAt = receivedAt
        self.body = body
    }
}

extension Ledger {
    /// Records a request (committed with the other requests of the moment,
    /// `GroupCommit`); returns once it is on disk. `start` gives the
    /// commits a thread that may block when nobody else is making them.
    public func record(_ request: RequestRecord, start: @escaping StartBlocking) async throws {
        try await group.write(Self.request(request), start: start)
    }

    private static func request(_ request: RequestRecord) -> (Database) throws -> Void {
        { db in try db.cachedStatement(sql: RequestRecord.insert).execute(arguments: request.arguments) }
    }

    /// Records a stored upload's receipt and its request in one savepoint
    /// of a group commit (`GroupCommit`), without waiting: `done` gets the
    /// error, or nil once both are on disk (the serve ledger syncs each
    /// commit), on the thread that committed them. A receipt already there
    /// for `path` is kept: the first wins. `start` as for `record`.
    public func recordUpload(_ request: RequestRecord, receipt: StoredReceipt, accountID: Int64?,
                             start: @escaping StartBlocking,
                             then done: @escaping @Sendable ((any Error)?) -> Void) {
        group.write(Self.upload(request, receipt: receipt, accountID: accountID), start: start, then: done)
    }

    private static func upload(_ request: RequestRecord, receipt: StoredReceipt, accountID: Int64?) -> (Database) throws -> Void {
        { db in
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO receipt (path, sha256, received_at, account_id, body) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [receipt.path, receipt.sha256, receipt.receivedAt, accountID, receipt.body])
            try db.cachedStatement(sql: RequestRecord.insert).execute(arguments: request.arguments)
        }
    }

    /// The first receipt of the file stored at `path`.
    public func receipt(path: String) throws -> StoredReceipt? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT path, sha256, received_at, body FROM receipt WHERE path = ?", arguments: [path]).map {
                StoredReceipt(path: $0["path"], sha256: $0["sha256"], receivedAt: $0["received_at"], body: $0["body"])
            }
        }
    }

    /// When each stored upload arrived, by inbox path.
    public func receivedTimes() throws -> [String: Int64] {
        try pool.read { db in
            var times: [String: Int64] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT path, received_at FROM receipt")
            while let row = try rows.next() { times[row[0]] = row[1] }
            return times
        }
    }

    /// The earliest sighting of each current file by a run, by inbox path.
    public func firstSeenTimes() throws -> [String: Int64] {
        try pool.read { db in
            var times: [String: Int64] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT path, MIN(first_seen) FROM file_version WHERE gone_at IS NULL GROUP BY path")
            while let row = try rows.next() { times[row[0]] = row[1] }
            return times
        }
    }

    /// The most recent requests that sent a file (uploads and dry runs),
    /// newest first.
    public func uploads(limit: Int) throws -> [RequestRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM request WHERE method = 'PUT' ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map(RequestRecord.init(row:))
        }
    }
}
