#if canImport(Glibc)
import Glibc
#endif

/// Time that only moves forward (`CLOCK_MONOTONIC`), for durations and
/// ages: the server's request times and meters, the run's progress line,
/// the age of the server's table of accounts.
package enum MonotonicClock {
    package static func nanoseconds() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
    }

    package static func seconds() -> Double { Double(nanoseconds()) / 1e9 }
}
