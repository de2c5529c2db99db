#if canImport(Glibc)
import Glibc
#endif
import Crypto
import GRDB
import EdupipeSupport

/// One account of `edupipe serve`: a unit of the registry and the SHA-256 of
/// its token. The token itself is shown once, when the account is made.
public struct Account: Sendable, Equatable {
    public let id: Int64
    public let unit: String
    public let name: String?
    public let createdAt: Int64
    public let revokedAt: Int64?
    /// The SHA-256 of the token, as the ledger keeps it.
    let tokenSHA256: String

    init(row: Row) {
        id = row["id"]
        tokenSHA256 = row["token_sha256"]
        unit = row["unit"]
        name = row["name"]
        createdAt = row["created_at"]
        revokedAt = row["revoked_at"]
    }
}

/// Tokens: 256 random bits as 64 hex digits after `edp_` (the prefix lets a
/// secret scanner recognise one pasted where it should not be).
public enum AccountToken {
    public static let prefix = "edp_"

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + encodeHex((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// What the ledger keeps of a token.
    public static func hash(_ token: String) -> String {
        encodeHex(Array(SHA256.hash(data: Array(token.utf8))))
    }
}

extension Ledger {
    /// Makes an account for `unit` and returns it with its token, which is
    /// stored nowhere.
    public func addAccount(unit: String, name: String?, at now: Int64) throws -> (Account, String) {
        let token = AccountToken.generate()
        let account = try pool.write { db -> Account in
            try db.execute(sql: "INSERT INTO account (unit, name, token_sha256, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [unit, name, AccountToken.hash(token), now])
            let id = db.lastInsertedRowID
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [id]) else {
                throw EdupipeError(.invalidFile, "account \(id) vanished as it was made")
            }
            return Account(row: row)
        }
        try replaceAccountsStamp()
        return (account, token)
    }

    /// Beside the ledger: replaced after every change to the accounts, so
    /// that a running server (`AccountCache`) reads them again at once.
    public var accountsStampPath: String { path + ".accounts" }

    /// A new stamp (a new file each time, with new contents).
    func replaceAccountsStamp() throws {
        var generator = SystemRandomNumberGenerator()
        try AtomicFile.write("\(MonotonicClock.nanoseconds()) \(UInt64.random(in: 0...UInt64.max, using: &generator))\n", to: accountsStampPath)
    }

    /// Every account, revoked ones too, oldest first.
    public func accounts() throws -> [Account] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY id").map(Account.init(row:))
        }
    }

    /// Revokes an account; false when there is no such account or it was
    /// revoked already.
    public func revokeAccount(id: Int64, at now: Int64) throws -> Bool {
        let revoked = try pool.write { db in
            try db.execute(sql: "UPDATE account SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now, id])
            return db.changesCount > 0
        }
        // After the commit: a server that read the accounts before it reads
        // them again on its next request.
        try replaceAccountsStamp()
        return revoked
    }
}
