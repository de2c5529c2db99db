import Foundation
import GRDB

/// Commits the writes of concurrent requests together: the first writer
/// to find no commit in progress leads, takes every write queued so far,
/// runs each in a savepoint of one transaction and commits it (one sync of
/// the ledger for all of them), and goes on while writes are queued; the
/// others wait until their write is committed. A write returns only once it
/// is on disk, as before, so a receipt is never promised for something a
/// power cut could lose: under load a commit simply carries several
/// requests. A write that fails rolls back its own savepoint and fails
/// alone; a commit that fails fails them all.
///
/// A writer waits either blocked (`write(_:)`) or suspended
/// (`write(_:start:)`, the server's uploads, whose leading is started on a
/// thread that may block): both kinds share the queue and the commits.
final class GroupCommit: @unchecked Sendable {
    /// Where a suspended writer's commits may be made: a thread that may block.
    typealias Start = @Sendable (@escaping @Sendable () -> Void) -> Void

    /// One queued write; `done` and `error` are read under the lock.
    private final class Ticket {
        let work: (Database) throws -> Void
        /// A suspended writer's resumption and thread; nil for a blocked one.
        let resume: (((any Error)?) -> Void)?
        let start: Start?
        var done = false
        var error: (any Error)?
        init(_ work: @escaping (Database) throws -> Void, resume: (((any Error)?) -> Void)? = nil, start: Start? = nil) {
            self.work = work
            self.resume = resume
            self.start = start
        }
    }

    // NSCondition: a lock with the wait-and-signal the followers need.
    private let condition = NSCondition()
    private var queue: [Ticket] = []
    private var leading = false
    private let pool: DatabasePool

    init(pool: DatabasePool) { self.pool = pool }

    /// Queues `work` and returns once its commit is on disk (blocking). A
    /// blocked writer that leads commits one batch, its own write among
    /// it, then hands the lead on: to a suspended writer's thread, or to
    /// the next blocked writer.
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
            condition.unlock()
            commitBatch()
            condition.lock()
            if let start = queue.lazy.compactMap(\.start).first {
                // Suspended writers are queued: their thread leads on.
                condition.unlock()
                start { self.commitWhileQueued() }
                condition.lock()
            } else {
                leading = false
                condition.broadcast()
            }
        }
        let error = ticket.error
        condition.unlock()
        if let error { throw error }
    }

    /// The same, suspended rather than blocked; when nobody leads, the
    /// commits are made on `start`'s thread, batch after batch, until
    /// nothing is queued.
    func write(_ work: @escaping (Database) throws -> Void, start: @escaping Start) async throws {
        try await withCheckedThrowingContinuation { (waiting: CheckedContinuation<Void, any Error>) in
            write(work, start: start) { error in
                if let error { waiting.resume(throwing: error) } else { waiting.resume() }
            }
        }
    }

    /// The same without waiting at all: `done` gets the write's error, or
    /// nil once its commit is on disk, on the committing thread.
    func write(_ work: @escaping (Database) throws -> Void, start: @escaping Start,
               then done: @escaping @Sendable ((any Error)?) -> Void) {
        let ticket = Ticket(work, resume: done, start: start)
        condition.lock()
        queue.append(ticket)
        let lead = !leading
        leading = true
        condition.unlock()
        if lead { start { self.commitWhileQueued() } }
    }

    /// Leads until nothing is queued.
    private func commitWhileQueued() {
        while commitBatch() {}
        condition.lock()
        if queue.isEmpty {
            leading = false
            condition.broadcast()
            condition.unlock()
        } else {
            // Queued between the last batch and the lock: lead on.
            condition.unlock()
            commitWhileQueued()
        }
    }

    /// Commits every write queued now in one transaction; false when there
    /// was none. Only the leader calls it.
    @discardableResult
    private func commitBatch() -> Bool {
        condition.lock()
        let batch = queue
        queue = []
        condition.unlock()
        guard !batch.isEmpty else { return false }
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
        condition.broadcast()
        condition.unlock()
        for t in batch { t.resume?(t.error) }
        return true
    }
}
