import Foundation
import Testing
import GRDB
@testable import EdupipeRun

/// What `edupipe serve` keeps in the ledger under load: uploads committed
/// together, and accounts read from memory with revocation at once.
@Suite struct ServeLedgerTests {
    /// The server's ledger syncs every commit (FULL); a run's does not
    /// (NORMAL). GRDB's WAL set-up used to undo FULL silently.
    @Test func theServersLedgerSyncsEveryCommit() throws {
        let state = Fixtures.tempDirectory("ledger-synchronous")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let server = try Ledger(directory: state, durable: true)
        #expect(try server.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
        let run = try Ledger(directory: state)
        #expect(try run.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 1)
    }

    /// Uploads and other requests at once share the commits: every write
    /// is on disk when it returns, and a failure fails alone.
    @Test func concurrentWritesCommitTogetherAndAFailureFailsAlone() async throws {
        let state = Fixtures.tempDirectory("group-commit-async")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let ledger = try Ledger(directory: state, durable: true)
        let start: StartBlocking = { work in Thread.detachNewThread(work) }
        let row = RequestRecord(at: 1_670_000_000, accountID: nil, unit: "000000", method: "PUT", target: "/api/v1/files/x",
                                status: 201, milliseconds: 1)
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for i in 0..<24 {
                group.addTask {
                    do {
                        if i == 23 {
                            try await ledger.group.write({ db in try db.execute(sql: "INSERT INTO no_such_table VALUES (1)") }, start: start)
                        } else if i % 8 == 7 {
                            // Another request's row among them (the audit's).
                            try await ledger.record(row, start: start)
                        } else {
                            let path = "hubei/420102/420102_class_size_2022-autumn_r\(i).csv"
                            let receipt = StoredReceipt(path: path, sha256: String(repeating: "a", count: 64), receivedAt: 1_670_000_000, body: "{}")
                            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                                ledger.recordUpload(row, receipt: receipt, accountID: nil, start: start) { error in
                                    if let error { c.resume(throwing: error) } else { c.resume() }
                                }
                            }
                        }
                        return (i, true)
                    } catch {
                        return (i, false)
                    }
                }
            }
            var all = [Bool](repeating: false, count: 24)
            for await (i, ok) in group { all[i] = ok }
            return all
        }
        #expect(results == [Bool](repeating: true, count: 23) + [false])
        let other = try Ledger(directory: state)
        for i in 0..<23 where i % 8 != 7 {
            #expect(try other.receipt(path: "hubei/420102/420102_class_size_2022-autumn_r\(i).csv") != nil)
        }
        let requests = try await other.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM request") }
        #expect(requests == 23)
    }

    /// The server's table of accounts follows what `edupipe accounts` does
    /// in another process at once: a new account is known on its first
    /// request, a revoked one refused on the next.
    @Test func accountsChangedElsewhereAreSeenAtTheNextRequest() throws {
        let state = Fixtures.tempDirectory("account-cache")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let server = try Ledger(directory: state, durable: true)
        let cache = AccountCache(ledger: server)
        #expect(try cache.account(token: "edp_unknown") == nil)
        let cli = try Ledger(directory: state)
        let (account, token) = try cli.addAccount(unit: "420000", name: "湖北", at: 1_670_000_000)
        #expect(try cache.account(token: token)?.id == account.id)
        #expect(try cache.account(token: token)?.unit == "420000")
        #expect(try cli.revokeAccount(id: account.id, at: 1_670_000_100))
        #expect(try cache.account(token: token) == nil)
        #expect(try cache.account(token: "edp_" + String(repeating: "0", count: 64)) == nil)
    }

    /// What the server's event loops ask first: the table in memory answers
    /// while its stamp is the ledger's, and asks for a reload (nil) as soon
    /// as `edupipe accounts` changes anything.
    @Test func theTableInMemoryAnswersOnlyWhileItIsCurrent() throws {
        let state = Fixtures.tempDirectory("account-cache-fast")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let server = try Ledger(directory: state, durable: true)
        let cache = AccountCache(ledger: server)
        let cli = try Ledger(directory: state)
        let (account, token) = try cli.addAccount(unit: "420000", name: "湖北", at: 1_670_000_000)
        #expect(cache.cachedAccount(token: token) == nil)
        #expect(try cache.account(token: token)?.id == account.id)
        #expect(cache.cachedAccount(token: token)??.id == account.id)
        #expect(cache.cachedAccount(token: "edp_unknown").map { $0 == nil } == true)
        #expect(try cli.revokeAccount(id: account.id, at: 1_670_000_100))
        #expect(cache.cachedAccount(token: token) == nil)
        #expect(try cache.account(token: token) == nil)
        #expect(cache.cachedAccount(token: token).map { $0 == nil } == true)
    }
}

