import GRDB

/// The ledger's tables. Times are seconds since the Unix epoch; a file
/// version is one (path, SHA-256) pair.
enum LedgerSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id INTEGER PRIMARY KEY,
                    started_at INTEGER NOT NULL,
                    ended_at INTEGER,
                    version TEXT NOT NULL,
                    pid INTEGER,
                    inbox TEXT NOT NULL,
                    out TEXT NOT NULL,
                    pipeline_path TEXT,
                    pipeline_sha256 TEXT,
                    registry_sha256 TEXT,
                    outcome TEXT NOT NULL,
                    message TEXT,
                    files INTEGER, accepted INTEGER, superseded INTEGER, duplicate INTEGER, rejected INTEGER,
                    added INTEGER, changed INTEGER, gone INTEGER, newly_superseded INTEGER, newly_rejected INTEGER
                );
                CREATE TABLE file_version (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    county TEXT, dataset TEXT, period TEXT, revision INTEGER,
                    first_seen INTEGER NOT NULL,
                    first_run INTEGER NOT NULL REFERENCES run(id),
                    last_seen INTEGER NOT NULL,
                    last_run INTEGER NOT NULL REFERENCES run(id),
                    gone_at INTEGER,
                    gone_run INTEGER REFERENCES run(id),
                    status TEXT NOT NULL,
                    records INTEGER NOT NULL,
                    errors INTEGER NOT NULL,
                    warnings INTEGER NOT NULL,
                    first_error TEXT,
                    UNIQUE (path, sha256)
                );
                CREATE INDEX file_version_current ON file_version(gone_at, path);
                CREATE TABLE run_change (
                    run_id INTEGER NOT NULL REFERENCES run(id),
                    path TEXT NOT NULL,
                    change TEXT NOT NULL,
                    detail TEXT
                );
                CREATE INDEX run_change_run ON run_change(run_id);
                """)
        }
        // edupipe serve: accounts (only a token's SHA-256 is kept), every
        // request with who, what, verdict, bytes and milliseconds, and the
        // first receipt of every stored upload (sent again, as it was, when
        // the same bytes come again under the same name).
        migrator.registerMigration("v2-serve") { db in
            try db.execute(sql: """
                CREATE TABLE account (
                    id INTEGER PRIMARY KEY,
                    unit TEXT NOT NULL,
                    name TEXT,
                    token_sha256 TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );
                CREATE TABLE request (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    account_id INTEGER,
                    unit TEXT,
                    method TEXT NOT NULL,
                    target TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    path TEXT,
                    sha256 TEXT,
                    bytes INTEGER,
                    verdict TEXT,
                    acceptance TEXT,
                    records INTEGER,
                    errors INTEGER,
                    first_error TEXT,
                    dry_run INTEGER NOT NULL DEFAULT 0,
                    ms INTEGER NOT NULL
                );
                CREATE INDEX request_at ON request(at);
                CREATE TABLE receipt (
                    path TEXT PRIMARY KEY,
                    sha256 TEXT NOT NULL,
                    received_at INTEGER NOT NULL,
                    account_id INTEGER,
                    body TEXT NOT NULL
                );
                """)
        }
        return migrator
    }
}
