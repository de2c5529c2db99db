import Hummingbird
import NIOCore
import NIOPosix
import Synchronization
import EdupipeSupport
import EdupipeRun

/// The request context of `edupipe serve`: Hummingbird's core storage and
/// the note the handlers leave for the audit (who called, what file, the
/// verdict), which the audit middleware writes once the response is ready.
struct ServeContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let audit = AuditNote()
    /// The connection, for the `100 Continue` an upload releases.
    let channel: any Channel
    /// The request's target as the audit keeps it (`AuditMiddleware.target`),
    /// worked out once by the audit middleware for itself and the handlers.
    var auditTarget = ""

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// What a handler knows of a request that the audit records.
final class AuditNote: Sendable {
    struct Details: Sendable {
        var account: Account?
        var file = UploadFacts()
        var dryRun = false
        /// The intake wrote the request row with the receipt already.
        var recorded = false
    }

    private let details = Mutex(Details())

    func update(_ body: (inout Details) -> Void) { details.withLock { body(&$0) } }
    var current: Details { details.withLock { $0 } }
}

/// Blocking work (validation, the inbox's files, SQLite) off the server's
/// event loops and Swift's cooperative threads: a fixed pool of threads.
/// Uploads wait for their syncs and commits suspended, not on a thread;
/// only the loops that make the grouped syncs and commits (`GroupSync`,
/// `GroupCommit`) wait on the disk here, for everyone, and only while
/// someone is waiting. So the pool is sized for the CPU: two threads a core
/// (at least four, so that the two loops never hold all of them). Four a
/// core, as when every upload waited for its own fsyncs here, only took
/// turns on the cores: a fifth more CPU in switches and contention on the
/// bench's uploads.
enum Offload {
    static let threads = max(4, 2 * WorkerPool.coreCount)
    private static let pool: NIOThreadPool = {
        let p = NIOThreadPool(numberOfThreads: threads)
        p.start()
        return p
    }()

    /// Runs a grouped sync's or commit's loop on the pool without waiting
    /// for it. The pool never shuts down; were it to, the work runs anyway.
    static func lead(_ work: @escaping @Sendable () -> Void) {
        pool.submit { _ in work() }
    }

    /// Runs `work` on the pool and resumes once `work` calls its completion,
    /// which it may hand on to another thread (an upload's syncs and commit):
    /// the caller waits once, however many threads the work passes through.
    static func run<T: Sendable>(_ work: @escaping @Sendable (_ done: @escaping @Sendable (T) -> Void) -> Void) async -> T {
        await withCheckedContinuation { (waiting: CheckedContinuation<T, Never>) in
            pool.submit { _ in work { waiting.resume(returning: $0) } }
        }
    }

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        // The pool runs until the process ends; `runIfActive` fails only
        // on a pool shut down, which this one never is.
        (try? await pool.runIfActive(work)) ?? work()
    }
}
