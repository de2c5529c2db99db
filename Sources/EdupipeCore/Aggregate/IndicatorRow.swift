/// One row of `indicators.csv`: a unit's value of one indicator.
public struct IndicatorRow: Sendable, Equatable {
    public enum Status: String, Sendable { case noData = "no_data", noTarget = "no_target", met, notMet = "not_met" }

    public let period: String
    public let level: Registry.Level
    public let code: String
    public let name: String
    /// Index into `IndicatorCatalog.entries`.
    public let entry: Int
    public let numerator: Int
    /// Nil for count indicators.
    public let denominator: Int?
    public let target: Target?
    public let status: Status

    public var indicator: String { IndicatorCatalog.entries[entry].name }

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
        // (2·n·10⁶ + d) / 2d, in 128 bits: rounds half up.
        let wide = n.multipliedFullWidth(by: 2_000_000)
        let q = (UInt128(wide.high) << 64 + UInt128(wide.low) + UInt128(d)) / (UInt128(d) * 2)
        return (Int(q / 1_000_000), Int(q % 1_000_000))
    }
}
