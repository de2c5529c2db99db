import Foundation
import GRDB

/// Commits the writes of concurrent requests together: the first writer
/// to find no commit in progress leads, takes every write queued so far,
/// runs each in a savepoint of one transaction and commits it (one sync of
/// the ledger for all of them); the others wait until their write is
/// committed. A write returns only once it is on disk, as before, so a
/// receipt is never promised for something a power cut could lose: under
/// load a commit simply carries several requests. A write that fails rolls
/// back its own savepoint and fails alone; a commit that fails fails them all.
final class GroupCommit: @unchecked Sendable {
    /// One queued write; `done` and `error` are read under the lock.
    private final class Ticket {
        let work: (Database) throws -> Void
        var done = false
        var error: (any Error)?
        init(_ work: @escaping (Database) throws -> Void) { self.work = work }
    }

    // NSCondition: a lock with the wait-and-signal the followers need.
    private let condition = NSCondition()
    private var queue: [Ticket] = []
    private var leading = false
    private let pool: DatabasePool

    init(pool: DatabasePool) { self.pool = pool }

    func write(_ work: @escaping (Database) throws -> Void) throws {
        let ticket = Ticket(work)
        condition.lock()
        queue.append(ticket)
        while !ticket.done {
            guard !leading else {
                condition.wait()
                continue
            }
            leading = true
            let batch = queue
            queue = []
            condition.unlock()
            var failure: (any Error)?
            do {
                try pool.write { db in
                    for t in batch {
                        do {
                            try db.inSavepoint {
                                try t.work(db)
                                return .commit
                            }
                        } catch {
                            t.error = error
                        }
                    }
                }
            } catch {
                failure = error
            }
            condition.lock()
            for t in batch {
                if let failure { t.error = failure }
                t.done = true
            }
            leading = false
            condition.broadcast()
        }
        let error = ticket.error
        condition.unlock()
        if let error { throw error }
    }
}
