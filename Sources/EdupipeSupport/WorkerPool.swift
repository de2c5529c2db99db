#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Runs `work(index, worker)` for every index in `0..<count` on `threads`
/// plain threads that pull the next index from one shared counter, and
/// returns when all are done. Files vary in size, so pulling balances the
/// load; there is no task per item and no lock per record.
public enum WorkerPool {
    public static func run(count: Int, threads: Int, _ work: @escaping @Sendable (_ index: Int, _ worker: Int) -> Void) {
        let threads = max(1, min(threads, count))
        guard count > 0 else { return }
        if threads == 1 {
            for i in 0..<count { work(i, 0) }
            return
        }
        let shared = Shared(count: count, work: work)
        var ids: [pthread_t] = []
        for worker in 0..<threads {
            if let tid = SystemIO.startThread({ shared.drain(worker: worker) }) {
                ids.append(tid)
            } else {
                // No thread: do this share of the work here instead.
                shared.drain(worker: worker)
            }
        }
        for tid in ids { SystemIO.join(tid) }
    }

    private final class Shared: Sendable {
        let next = Atomic<Int>(0)
        let count: Int
        let work: @Sendable (Int, Int) -> Void
        init(count: Int, work: @escaping @Sendable (Int, Int) -> Void) {
            self.count = count
            self.work = work
        }
        func drain(worker: Int) {
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                if i >= count { return }
                work(i, worker)
            }
        }
    }

    /// Starts `work` on a thread of its own and returns at once; `join`
    /// waits for it. Without a thread, `work` runs here, now.
    public static func background(_ work: @escaping @Sendable () -> Void) -> Background {
        // Never nil: without a thread the work has run.
        Background(work, runHereWithoutThread: true)!
    }

    /// Starts `work` on a thread of its own; nil when no thread can be
    /// started (work that never ends by itself, such as a display).
    public static func thread(_ work: @escaping @Sendable () -> Void) -> Background? {
        Background(work, runHereWithoutThread: false)
    }

    /// A thread started by `background`.
    public final class Background {
        private var thread: pthread_t?

        fileprivate init?(_ work: @escaping @Sendable () -> Void, runHereWithoutThread: Bool) {
            if let tid = SystemIO.startThread(work) {
                thread = tid
            } else if runHereWithoutThread {
                work()
            } else {
                return nil
            }
        }

        /// Waits for the work to end; later calls return at once.
        public func join() {
            if let thread { SystemIO.join(thread) }
            thread = nil
        }

        deinit { join() }
    }

    /// The machine's online cores.
    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// One result slot per index, each written by exactly one worker and read
/// only after `WorkerPool.run` has joined every thread; nil until written.
public typealias ResultSlots<T> = FilledSlots<T?>

extension FilledSlots where T: ExpressibleByNilLiteral {
    /// `count` slots, nil until written.
    public convenience init(count: Int) {
        self.init(count: count, empty: nil)
    }
}

/// One slot per index, each written by exactly one worker (a lock per slot
/// written, a file's result and not a record's, costs nothing measurable),
/// filled in place from the start so that the results can be taken whole
/// at the end: a national night over three periods has 25,686 file
/// records, and turning an array of optionals into the array the run keeps
/// held both (13 MB) at once.
public final class FilledSlots<T>: @unchecked Sendable {
    private var slots: [T]
    private let lock = NSLock()

    /// `count` slots holding `empty` until written.
    public init(count: Int, empty: T) {
        slots = Array(repeating: empty, count: count)
    }

    public subscript(i: Int) -> T {
        get {
            lock.lock()
            defer { lock.unlock() }
            return slots[i]
        }
        set {
            lock.lock()
            defer { lock.unlock() }
            slots[i] = newValue
        }
    }

    /// Every slot, moved out without a copy; the slots are empty after.
    public func takeAll() -> [T] {
        lock.lock()
        defer { lock.unlock() }
        let all = slots
        slots = []
        return all
    }
}
