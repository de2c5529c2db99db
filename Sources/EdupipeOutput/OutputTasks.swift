import EdupipeSupport

/// Output files written on threads of their own while the run goes on:
/// the contract files beside the ledger's work, the tables for people
/// beside both. `finish` waits for them and throws the first failure, in
/// the order of the tasks.
public final class OutputTasks {
    public typealias Task = @Sendable () throws -> Void

    private let thread: WorkerPool.Background
    private let failures: ResultSlots<String>
    private let count: Int

    /// Starts `tasks` on `threads` threads, which pull them in order.
    public init(_ tasks: [Task], threads: Int) {
        let failures = ResultSlots<String>(count: tasks.count)
        self.failures = failures
        count = tasks.count
        thread = WorkerPool.background {
            WorkerPool.run(count: tasks.count, threads: threads) { i, _ in
                do { try tasks[i]() } catch { failures[i] = "\(error)" }
            }
        }
    }

    /// Waits for every task; later calls return (or throw) the same.
    public func finish() throws {
        thread.join()
        for i in 0..<count {
            if let failure = failures[i] { throw EdupipeError(.io, failure) }
        }
    }
}
