import Foundation
import Testing
import GRDB
@testable import EdupipeRun

/// What `edupipe serve` keeps in the ledger under load: uploads committed
/// together, and accounts read from memory with revocation at once.
@Suite struct ServeLedgerTests {
    /// Sixteen uploads at once: every receipt is on disk when its call
    /// returns; a write that fails fails alone, the others commit.
    @Test func concurrentWritesCommitTogetherAndAFailureFailsAlone() throws {
        let state = Fixtures.tempDirectory("group-commit")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let ledger = try Ledger(directory: state, durable: true)
        let outcomes = Outcomes(count: 17)
        DispatchQueue.concurrentPerform(iterations: 17) { i in
            do {
                if i == 16 {
                    try ledger.group.write { db in try db.execute(sql: "INSERT INTO no_such_table VALUES (1)") }
                } else {
                    let path = "hubei/420102/420102_class_size_2022-autumn_r\(i).csv"
                    try ledger.recordUpload(RequestRecord(at: 1_670_000_000, accountID: nil, unit: "000000", method: "PUT", target: "/api/v1/files/x",
                                                          status: 201, milliseconds: 1),
                                            receipt: StoredReceipt(path: path, sha256: String(repeating: "a", count: 64), receivedAt: 1_670_000_000, body: "{}"),
                                            accountID: nil)
                }
                outcomes.set(i, true)
            } catch {
                outcomes.set(i, false)
            }
        }
        #expect(outcomes.all == [Bool](repeating: true, count: 16) + [false])
        // Read by another connection, as a later process would.
        let other = try Ledger(directory: state)
        for i in 0..<16 {
            #expect(try other.receipt(path: "hubei/420102/420102_class_size_2022-autumn_r\(i).csv") != nil)
        }
        let requests = try other.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM request") }
        #expect(requests == 16)
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

/// Results written by concurrent iterations.
private final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Bool?]
    init(count: Int) { values = [Bool?](repeating: nil, count: count) }
    func set(_ i: Int, _ v: Bool) { lock.withLock { values[i] = v } }
    var all: [Bool] { lock.withLock { values.map { $0 ?? false } } }
}
