/// Periods in order (standard, section 8.1): `YYYY-spring` before
/// `YYYY-autumn` before `(YYYY+1)-spring`.
public enum PeriodOrder {
    /// The period before `period` (`2023-spring` → `2022-autumn`,
    /// `2023-autumn` → `2023-spring`); nil for a text that is not a period.
    public static func previous(_ period: String) -> String? {
        guard SubmissionName.isPeriod(period), let year = Int(period.prefix(4)) else { return nil }
        return period.hasSuffix("-autumn") ? "\(year)-spring" : (year > 0 ? String(format4(year - 1)) + "-autumn" : nil)
    }

    /// The `count` periods before `period`, the nearest first.
    public static func before(_ period: String, count: Int) -> [String] {
        var out: [String] = []
        var p = period
        while out.count < count, let q = previous(p) {
            out.append(q)
            p = q
        }
        return out
    }

    /// A sort key that puts periods in time order.
    public static func key(_ period: String) -> Int {
        (Int(period.prefix(4)) ?? 0) * 2 + (period.hasSuffix("-autumn") ? 1 : 0)
    }

    private static func format4(_ year: Int) -> String {
        let s = String(year)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
