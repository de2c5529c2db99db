#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import EdupipeSupport

/// Files done out of the total, and bytes read, counted by the workers
/// with one relaxed atomic add per file.
public final class ProgressCounter: Sendable {
    public let total: Int
    let files = Atomic<Int>(0)
    let bytes = Atomic<Int>(0)

    public init(total: Int) { self.total = total }

    func fileDone(bytes n: Int) {
        bytes.add(n, ordering: .relaxed)
        files.add(1, ordering: .relaxed)
    }

    /// `files 1234/8562 · 12.3 MB read at 45.6 MB/s · about 3 s left`, the bytes
    /// being those of the files as stored (compressed or not).
    public static func line(files: Int, total: Int, bytes: Int, elapsed: Double) -> String {
        let mb = Double(bytes) / 1_000_000
        var s = "files \(files)/\(total) · \(decimal(mb)) MB read"
        if elapsed > 0 { s += " at \(decimal(mb / elapsed)) MB/s" }
        if files > 0 && files < total && elapsed > 0 {
            let left = elapsed * Double(total - files) / Double(files)
            s += " · about \(Int(left.rounded(.up))) s left"
        }
        return s
    }

    private static func decimal(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// A one-line progress display on a terminal's stderr, redrawn a few times
/// a second by its own thread; nothing at all when stderr is not a terminal
/// (cron, pipes, files).
public final class ProgressDisplay: @unchecked Sendable {
    private let counter: ProgressCounter
    private let stopFlag = Atomic<Bool>(false)
    private var thread: WorkerPool.Background?
    private let started: Double

    /// Starts drawing when stderr is a terminal; nil otherwise.
    public static func start(counter: ProgressCounter) -> ProgressDisplay? {
        guard isatty(2) == 1 else { return nil }
        let display = ProgressDisplay(counter: counter)
        guard let thread = WorkerPool.thread({ display.loop() }) else { return nil }
        display.thread = thread
        return display
    }

    private init(counter: ProgressCounter) {
        self.counter = counter
        started = MonotonicClock.seconds()
    }

    private func loop() {
        while !stopFlag.load(ordering: .relaxed) {
            usleep(200_000)
            if stopFlag.load(ordering: .relaxed) { break }
            let line = ProgressCounter.line(files: counter.files.load(ordering: .relaxed), total: counter.total,
                                            bytes: counter.bytes.load(ordering: .relaxed), elapsed: MonotonicClock.seconds() - started)
            StandardStream.write(2, "\r\u{1B}[K" + line)
        }
    }

    /// Stops the thread and clears the line.
    public func stop() {
        stopFlag.store(true, ordering: .relaxed)
        thread?.join()
        thread = nil
        StandardStream.write(2, "\r\u{1B}[K")
    }
}
