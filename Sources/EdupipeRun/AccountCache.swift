#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import EdupipeSupport

/// The ledger's live accounts in memory, for `edupipe serve`: a request's
/// token is looked up in a table instead of the database (a tenth of the
/// server's work per upload was that lookup). Revocation stays immediate:
/// `edupipe accounts` replaces a stamp beside the ledger after every change
/// it commits, and the table is read again whenever the stamp is not the
/// one it was read under, and at least every second in any case.
public final class AccountCache: Sendable {
    private struct Snapshot {
        var byHash: [String: Account] = [:]
        var stamp: Stamp?
        var loadedAt: Int64 = 0
    }

    /// What identifies one version of the stamp file.
    struct Stamp: Equatable {
        let inode: UInt64
        let size: Int64
        let modified: Int
        let modifiedNanoseconds: Int
        let changed: Int
        let changedNanoseconds: Int

        static func of(_ path: String) -> Stamp? {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            return Stamp(inode: UInt64(st.st_ino), size: Int64(st.st_size), modified: st.st_mtim.tv_sec,
                         modifiedNanoseconds: st.st_mtim.tv_nsec, changed: st.st_ctim.tv_sec, changedNanoseconds: st.st_ctim.tv_nsec)
        }
    }

    private let ledger: Ledger
    private let snapshot = Mutex(Snapshot())
    /// How long a table is trusted without a look at the database.
    static let maximumAge: Int64 = 1_000_000_000

    public init(ledger: Ledger) {
        self.ledger = ledger
        // A state folder from before the stamp has none: make it, so that
        // the next change replaces something the server can compare. Without
        // a stamp (it cannot be written) nothing is cached: every request
        // reads the database, as before.
        if Stamp.of(ledger.accountsStampPath) == nil { try? ledger.replaceAccountsStamp() }
    }

    /// What the table in memory says of `token` without reading the
    /// database (a `stat` of the stamp only): `.some(nil)` for unknown or
    /// revoked, nil when the table must be read again (`account(token:)`).
    /// Cheap enough for a server's event loop.
    public func cachedAccount(token: String) -> Account?? {
        lookUp(AccountToken.hash(token), stamp: Stamp.of(ledger.accountsStampPath), now: MonotonicClock.nanoseconds())
    }

    private func lookUp(_ hash: String, stamp: Stamp?, now: Int64) -> Account?? {
        snapshot.withLock { s in
            guard let stamp, s.stamp == stamp, now - s.loadedAt < Self.maximumAge else { return nil }
            return .some(s.byHash[hash])
        }
    }

    /// The live account holding `token`, or nil (unknown or revoked).
    public func account(token: String) throws -> Account? {
        let hash = AccountToken.hash(token)
        // The stamp is read before the accounts: a change committed while
        // they are read leaves a newer stamp, and the next request reads again.
        let stamp = Stamp.of(ledger.accountsStampPath)
        let now = MonotonicClock.nanoseconds()
        if let cached = lookUp(hash, stamp: stamp, now: now) { return cached }
        var byHash: [String: Account] = [:]
        for account in try ledger.accounts() where account.revokedAt == nil { byHash[account.tokenSHA256] = account }
        let table = byHash
        snapshot.withLock { s in
            s.byHash = table
            s.stamp = stamp
            s.loadedAt = now
        }
        return table[hash]
    }
}
