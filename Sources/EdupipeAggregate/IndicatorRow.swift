import EdupipeStandard

/// What the rows of one unit in one period's table share: written once,
/// pointed to by each of the unit's rows.
public final class IndicatorUnit: Sendable {
    public let period: String
    public let level: Registry.Level
    public let code: String
    public let name: String
    /// The target that applies to each catalog entry for this unit
    /// (shared by the units of one level and province).
    package let targets: [Target?]
    /// The plan's indicators, which rows index.
    public let catalog: IndicatorCatalog

    package init(period: String, level: Registry.Level, code: String, name: String, targets: [Target?], catalog: IndicatorCatalog) {
        self.period = period
        self.level = level
        self.code = code
        self.name = name
        self.targets = targets
        self.catalog = catalog
    }
}

/// One row of `indicators.csv`: a unit's value of one indicator. About 32
/// bytes: what rows share lives in their `IndicatorUnit`.
public struct IndicatorRow: Sendable {
    public enum Status: String, Sendable { case noData = "no_data", noTarget = "no_target", met, notMet = "not_met" }

    public let unit: IndicatorUnit
    public let numerator: Int
    /// Nil for count indicators.
    public let denominator: Int?
    /// Index into the catalog's entries.
    private let entryIndex: UInt16
    public let status: Status

    package init(unit: IndicatorUnit, entry: Int, numerator: Int, denominator: Int?, status: Status) {
        self.unit = unit
        entryIndex = UInt16(entry)
        self.numerator = numerator
        self.denominator = denominator
        self.status = status
    }

    public var entry: Int { Int(entryIndex) }
    public var period: String { unit.period }
    public var level: Registry.Level { unit.level }
    public var code: String { unit.code }
    public var name: String { unit.name }
    public var target: Target? { unit.targets[entry] }
    public var indicator: String { unit.catalog.entries[entry].name }

    /// The value as written: 6 decimals for ratios, the count for counts;
    /// nil for `no_data`. Made on demand: the outputs write it as bytes.
    public var value: String? {
        guard status != .noData else { return nil }
        guard let denominator else { return String(numerator) }
        return Ratio.sixDecimals(numerator, denominator)
    }
}

/// Exact decimal rendering of ratios.
public enum Ratio {
    /// `n/d` rounded half up to 6 decimal places, computed in integers.
    public static func sixDecimals(_ n: Int, _ d: Int) -> String {
        let (whole, fraction) = scaled(n, d)
        let frac = String(fraction)
        return "\(whole)." + String(repeating: "0", count: 6 - frac.count) + frac
    }

    /// The whole part and the six-digit fraction of `n/d`, rounded half up.
    public static func scaled(_ n: Int, _ d: Int) -> (whole: Int, fraction: Int) {
        precondition(d > 0 && n >= 0)
        // (2·n·10⁶ + d) / 2d rounds half up. Every count of the standard
        // fits 64 bits here (n, d < 2⁴⁰); the 128-bit division, a library
        // call, is only for the rest.
        if n < 1 << 40 && d < 1 << 40 {
            let q = (n * 2_000_000 + d) / (2 * d)
            return (q / 1_000_000, q % 1_000_000)
        }
        let wide = n.multipliedFullWidth(by: 2_000_000)
        let q = (UInt128(wide.high) << 64 + UInt128(wide.low) + UInt128(d)) / (UInt128(d) * 2)
        return (Int(q / 1_000_000), Int(q % 1_000_000))
    }
}
