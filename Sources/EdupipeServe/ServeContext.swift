import Dispatch
import EdupipeCore
import Hummingbird
import Synchronization

/// The request context of `edupipe serve`: Hummingbird's core storage and
/// the note the handlers leave for the audit (who called, what file, the
/// verdict), which the audit middleware writes once the response is ready.
struct ServeContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let audit = AuditNote()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
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
/// and Swift's cooperative threads, on a queue of its own.
enum Offload {
    private static let queue = DispatchQueue(label: "edupipe.serve.work", attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { c in queue.async { c.resume(returning: work()) } }
    }
}
