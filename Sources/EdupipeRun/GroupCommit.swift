import Foundation
import GRDB

/// Runs a closure on a thread that may block, without waiting for it: where
/// the server's grouped commits and syncs make their loops (`Offload.lead`).
public typealias StartBlocking = @Sendable (@escaping @Sendable () -> Void) -> Void

/// Commits the writes of concurrent requests together: the first writer
/// to find no commit in progress starts a leader on a thread that may
/// block, which takes every write queued so far, runs each in a savepoint
/// of one transaction and commits it (one sync of the ledger for all of
/// them), and goes on while writes are queued; the writers wait, suspended,
/// until their write is committed. A write returns only once it is on disk,
/// so a receipt is never promised for something a power cut could lose:
/// under load a commit simply carries several requests. A write that fails
/// rolls back its own savepoint and fails alone; a commit that fails fails
/// them all.
final class GroupCommit: @unchecked Sendable {
    /// One queued write and what to tell its writer.
    private final class Ticket {
        let work: (Database) throws -> Void
        let done: @Sendable ((any Error)?) -> Void
        var error: (any Error)?
        init(_ work: @escaping (Database) throws -> Void, done: @escaping @Sendable ((any Error)?) -> Void) {
            self.work = work
            self.done = done
        }
    }

    private let lock = NSLock()
    private var queue: [Ticket] = []
    private var leading = false
    private let pool: DatabasePool

    init(pool: DatabasePool) { self.pool = pool }

    /// Queues `work` and returns once its commit is on disk; when nobody
    /// leads, the commits are made on `start`'s thread, batch after batch,
    /// until nothing is queued.
    func write(_ work: @escaping (Database) throws -> Void, start: @escaping StartBlocking) async throws {
        try await withCheckedThrowingContinuation { (waiting: CheckedContinuation<Void, any Error>) in
            write(work, start: start) { error in
                if let error { waiting.resume(throwing: error) } else { waiting.resume() }
            }
        }
    }

    /// The same without waiting at all: `done` gets the write's error, or
    /// nil once its commit is on disk, on the committing thread.
    func write(_ work: @escaping (Database) throws -> Void, start: @escaping StartBlocking,
               then done: @escaping @Sendable ((any Error)?) -> Void) {
        lock.lock()
        queue.append(Ticket(work, done: done))
        let lead = !leading
        leading = true
        lock.unlock()
        if lead { start { self.commitWhileQueued() } }
    }

    /// Leads until nothing is queued.
    private func commitWhileQueued() {
        while true {
            lock.lock()
            let batch = queue
            queue = []
            if batch.isEmpty { leading = false }
            lock.unlock()
            if batch.isEmpty { return }
            commit(batch)
        }
    }

    /// Commits a batch in one transaction, each write in its savepoint,
    /// then tells each writer.
    private func commit(_ batch: [Ticket]) {
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
        for t in batch { t.done(failure ?? t.error) }
    }
}
