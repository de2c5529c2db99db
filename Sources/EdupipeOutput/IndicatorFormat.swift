import EdupipeStandard

/// How people read an indicator's value: ratios as percentages, average
/// class sizes as numbers with one decimal, counts as whole numbers. Shared
/// by the workbook (as number formats) and the report (as text), so both
/// show the same thing.
public enum IndicatorFormat: Sendable {
    case percent, decimal, count

    public init(_ entry: IndicatorSpec) {
        switch entry.display {
        case .count: self = .count
        case .decimal: self = .decimal
        case .percent: self = .percent
        }
    }

    /// `75.0%`, `48.7` or `12`, rounded half up in integers; nil for no data.
    public func text(_ cell: PeriodTables.Cell) -> String? {
        guard cell.status != .noData else { return nil }
        guard let d = cell.denominator, d > 0 else { return Self.grouped(cell.numerator) }
        switch self {
        case .percent: return Self.percent(cell.numerator, d)
        case .decimal: return Self.oneDecimal(cell.numerator, d)
        case .count: return Self.grouped(cell.numerator)
        }
    }

    /// A target for people: `≥100%`, `≤5%`, `≤0`.
    public func text(_ target: Target) -> String {
        let sign = target.comparison == .atLeast ? "≥" : "≤"
        switch self {
        case .percent:
            return sign + Target.decimal(target.numerator * 100, target.scale) + "%"
        case .decimal, .count:
            return sign + Target.decimal(target.numerator, target.scale)
        }
    }

    /// `n/d` as a percentage with one decimal, `12.5%`.
    public static func percent(_ n: Int, _ d: Int) -> String { oneDecimal(n * 100, d) + "%" }

    /// `n/d` with one decimal, rounded half up.
    static func oneDecimal(_ n: Int, _ d: Int) -> String {
        let tenths = (n * 20 + d) / (d * 2)
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `12,345`: long counts are easier to read grouped.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }
}
