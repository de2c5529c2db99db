import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import SystemLinux
import EdupipeSupport
import EdupipeRun

/// Makes what concurrent uploads wrote durable together: one `syncfs(2)` of
/// the inbox's file system serves every upload that asked before it began,
/// instead of an `fsync` of each file and of each folder it was linked
/// into. An upload that asks while a sync runs waits for the next one (the
/// running one may have missed its writes), which then carries everyone
/// who asked meanwhile: under load a sync carries several uploads, so a
/// receipt still waits for its file to be on disk, but the disk's cache is
/// flushed once for all of them.
///
/// The waiting is a suspension, not a blocked thread: one thread makes the
/// syncs while any are asked for, and the uploads' threads go on with
/// other requests meanwhile.
///
/// `syncfs` writes back every dirty page, inode and folder block of the
/// file system, the unnamed files' included, then flushes the device. It
/// also carries other programs' writes to that file system: the price of
/// grouping, paid in latency only while something else writes a lot.
final class GroupSync: Sendable {
    private struct State {
        var waiting: [@Sendable (Bool) -> Void] = []
        var running = false
        var syncs = 0
    }

    private let state = Mutex(State())
    /// One sync: true when it succeeded.
    private let syncOnce: @Sendable () -> Bool
    /// Where the syncs are made: a thread that may block.
    private let start: StartBlocking

    /// Syncs the file system that holds `folder`; `start` runs the syncing
    /// loop on a thread that may block (the server's `Offload` pool).
    convenience init(folder: String, start: @escaping StartBlocking) throws {
        let folder = try OpenFolder(folder)
        self.init(sync: { syncfs(folder.fd) == 0 }, start: start)
    }

    /// Makes each sync with `sync` (tests give one they can hold and fail).
    init(sync: @escaping @Sendable () -> Bool, start: @escaping StartBlocking) {
        syncOnce = sync
        self.start = start
    }

    /// A folder's descriptor, open as long as the syncs need it.
    private final class OpenFolder: Sendable {
        let fd: Int32
        init(_ path: String) throws {
            fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw EdupipeError.system("cannot open \(path) to sync it") }
        }
        deinit { close(fd) }
    }

    /// Calls `next` with the sync's answer (false when it failed) once
    /// everything written before this call is on disk, on the syncing
    /// thread, before the next sync begins: what `next` writes and asks to
    /// sync then (`afterSync` again) goes with that next sync. `next` must
    /// be short: every sync waits for it.
    func afterSync(_ next: @escaping @Sendable (Bool) -> Void) {
        let lead = state.withLock { s in
            s.waiting.append(next)
            defer { s.running = true }
            return !s.running
        }
        if lead { start { self.syncWhileAsked() } }
    }

    /// Syncs until nobody waits: each sync carries exactly the uploads that
    /// asked before it began.
    private func syncWhileAsked() {
        while true {
            let batch = state.withLock { s in
                let batch = s.waiting
                s.waiting = []
                if batch.isEmpty { s.running = false }
                return batch
            }
            if batch.isEmpty { return }
            let synced = syncOnce()
            state.withLock { $0.syncs += 1 }
            for next in batch { next(synced) }
        }
    }

    /// How many syncs have been made (uploads share them).
    var syncs: Int { state.withLock { $0.syncs } }

    /// How many callers wait for a sync not yet begun (for tests).
    var waiting: Int { state.withLock { $0.waiting.count } }
}
