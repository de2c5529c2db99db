import Synchronization

/// Work a request causes, metered per account: how many of its requests
/// run at once, and a token bucket of decompressed bytes (what a dry run
/// or an upload costs: inflating and checking them is the server's work).
/// A request that finds the bucket empty or too many of its account's
/// requests running is refused with 429 and the seconds to wait; a dry run
/// also stops at a lower decompressed size of its own (`dryRunLimit`).
public final class Meter: Sendable {
    public struct Limits: Sendable {
        /// Requests of one account that may run at once.
        public var concurrent = 64
        /// The bucket's size and its refill, in decompressed bytes.
        public var burstBytes = 4 << 30
        public var bytesPerSecond = 1 << 20
        /// Decompressed bytes a dry run may read before it stops.
        public var dryRunLimit = 64 << 20

        public init(concurrent: Int = 64, burstBytes: Int = 4 << 30, bytesPerSecond: Int = 1 << 20, dryRunLimit: Int = 64 << 20) {
            self.concurrent = concurrent
            self.burstBytes = burstBytes
            self.bytesPerSecond = bytesPerSecond
            self.dryRunLimit = dryRunLimit
        }
    }

    let limits: Limits
    private let clock: @Sendable () -> Double

    private struct Account {
        var running = 0
        var tokens: Double
        var at: Double
    }

    private let accounts = Mutex([Int64: Account]())

    init(limits: Limits, clock: @escaping @Sendable () -> Double) {
        self.limits = limits
        self.clock = clock
    }

    /// Takes a place for one request of `account`; nil when it may go on,
    /// else the seconds to wait (for `Retry-After`).
    func enter(_ account: Int64) -> Int? {
        let now = clock()
        return accounts.withLock { all in
            var a = all[account] ?? Account(tokens: Double(limits.burstBytes), at: now)
            a.tokens = min(Double(limits.burstBytes), a.tokens + (now - a.at) * Double(limits.bytesPerSecond))
            a.at = now
            defer { all[account] = a }
            if a.running >= limits.concurrent { return 1 }
            if a.tokens <= 0 { return max(1, Int((-a.tokens / Double(max(1, limits.bytesPerSecond))).rounded(.up))) }
            a.running += 1
            return nil
        }
    }

    /// Gives the place back and charges the bytes the request inflated.
    func leave(_ account: Int64, bytes: Int) {
        accounts.withLock { all in
            guard var a = all[account] else { return }
            a.running = max(0, a.running - 1)
            a.tokens -= Double(bytes)
            all[account] = a
        }
    }
}
