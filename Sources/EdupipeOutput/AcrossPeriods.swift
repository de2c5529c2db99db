import EdupipeInput
import EdupipeAggregate

/// What the tables for people know beyond their own period: every period of
/// the run (for trends and the previous period's figures) and the period's
/// quality flags (section 8). Built from the run in memory, or read back
/// from a finished run's outputs by `edupipe export`: the same bytes.
public struct AcrossPeriods: Sendable {
    /// Every period's tables, in time order.
    public let views: [PeriodTables]
    /// Quality flags by period, as `quality.csv` orders them.
    public let quality: [String: [QualityFlag]]

    public init(views: [PeriodTables], quality: [String: [QualityFlag]]) {
        self.views = views.sorted { PeriodOrder.key($0.period) < PeriodOrder.key($1.period) }
        self.quality = quality
    }

    /// The period before `period` (section 8.1), when the run has it.
    public func previous(of period: String) -> PeriodTables? {
        guard let p = PeriodOrder.previous(period) else { return nil }
        return views.first { $0.period == p }
    }

    /// The periods up to and including `period`, in time order.
    public func through(_ period: String) -> [PeriodTables] {
        views.filter { PeriodOrder.key($0.period) <= PeriodOrder.key(period) }
    }

    /// How a value moved since the previous period, judged on the exact
    /// fractions: nil when either has no data.
    public static func direction(_ now: PeriodTables.Cell?, _ before: PeriodTables.Cell?) -> Int? {
        guard let now, let before, now.status != .noData, before.status != .noData else { return nil }
        let (a, b) = (now.numerator, now.denominator ?? 1)
        let (c, d) = (before.numerator, before.denominator ?? 1)
        guard b > 0, d > 0 else { return nil }
        let left = a.multipliedFullWidth(by: d), right = c.multipliedFullWidth(by: b)
        if left == right { return 0 }
        return (left.high, left.low) > (right.high, right.low) ? 1 : -1
    }

    /// `↑`, `↓` or `→`.
    public static func arrow(_ direction: Int) -> String { direction > 0 ? "↑" : direction < 0 ? "↓" : "→" }

    /// The change for people, in the indicator's own unit: percentage
    /// points for shares (`+2.5 pp`), the difference for averages and counts.
    public static func change(_ now: PeriodTables.Cell, _ before: PeriodTables.Cell, format: IndicatorFormat) -> String {
        guard let x = now.value, let y = before.value else { return "" }
        let delta: Double
        switch format {
        case .percent: delta = (x - y) * 100
        case .decimal, .count: delta = x - y
        }
        // Display only: no decision is taken on this number.
        let tenths = Int((abs(delta) * 10).rounded())
        let sign = delta > 0 && tenths > 0 ? "+" : delta < 0 && tenths > 0 ? "−" : "±"
        let body = format == .count && now.denominator == nil ? "\(Int(abs(delta).rounded()))" : "\(tenths / 10).\(tenths % 10)"
        return sign + body + (format == .percent ? " pp" : "")
    }
}
