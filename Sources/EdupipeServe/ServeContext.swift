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

/// Blocking work (validation, fsync, SQLite) off the server's event loops
/// and Swift's cooperative threads: a fixed pool of threads, more than the
/// cores, because much of the work waits on the disk (fsync), not the CPU.
enum Offload {
    static let threads = 4 * WorkerPool.coreCount
    private static let pool: NIOThreadPool = {
        let p = NIOThreadPool(numberOfThreads: threads)
        p.start()
        return p
    }()

    /// Runs `work` on the pool without waiting for it (the grouped syncs'
    /// loop). The pool never shuts down; were it to, the work runs anyway.
    static func start(_ work: @escaping @Sendable () -> Void) {
        pool.submit { _ in work() }
    }

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        // The pool runs until the process ends; `runIfActive` fails only
        // on a pool shut down, which this one never is.
        (try? await pool.runIfActive(work)) ?? work()
    }
}
