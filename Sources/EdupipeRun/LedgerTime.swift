#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport

/// Times in the ledger: whole seconds since the Unix epoch, shown in China
/// Standard Time (UTC+8, no daylight saving), the time the offices work in.
/// A period's deadline `YYYY-MM-DD` ends at midnight after that day, UTC+8.
public enum LedgerTime {
    static let offset = 8 * 3600

    /// Now, or `EDUPIPE_NOW` (seconds since the epoch) when set: tests and
    /// replays of a past night fix the clock that way.
    public static func now(environment: [String: String] = [:]) -> Int64 {
        if let fixed = environment["EDUPIPE_NOW"], let seconds = Int64(fixed) { return seconds }
        return Int64(time(nil))
    }

    /// The first second after the deadline day, or nil for a malformed date.
    public static func endOfDay(_ date: String) -> Int64? {
        let parts = date.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        return (CivilDate.days(y, m, d) + 1) * 86400 - Int64(offset)
    }

    /// `2022-12-31 23:59:59 +08:00`.
    public static func text(_ seconds: Int64) -> String {
        let (date, time) = local(seconds)
        return "\(date) \(time) +08:00"
    }

    /// ISO 8601 for JSON: `2022-12-31T23:59:59+08:00`.
    public static func iso(_ seconds: Int64) -> String {
        let (date, time) = local(seconds)
        return "\(date)T\(time)+08:00"
    }

    /// The date and time of day in UTC+8.
    private static func local(_ seconds: Int64) -> (date: String, time: String) {
        let local = seconds + Int64(offset)
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let (y, m, d) = CivilDate.civil(days)
        let s = Int(local - days * 86400)
        return ("\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))", "\(pad(s / 3600, 2)):\(pad(s / 60 % 60, 2)):\(pad(s % 60, 2))")
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
