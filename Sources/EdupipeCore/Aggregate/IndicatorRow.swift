/// One row of `indicators.csv`: a unit's value of one indicator.
public struct IndicatorRow: Sendable, Equatable {
    public enum Status: String, Sendable { case noData = "no_data", noTarget = "no_target", met, notMet = "not_met" }

    public let period: String
    public let level: Registry.Level
    public let code: String
    public let name: String
    public let indicator: String
    public let numerator: Int
    /// Nil for count indicators.
    public let denominator: Int?
    /// The value as written: 6 decimals for ratios, the count for counts;
    /// nil for `no_data`.
    public let value: String?
    public let target: Target?
    public let status: Status
}

/// Exact decimal rendering of ratios.
public enum Ratio {
    /// `n/d` rounded half up to 6 decimal places, computed in integers.
    public static func sixDecimals(_ n: Int, _ d: Int) -> String {
        precondition(d > 0 && n >= 0)
        let scaled = n.multipliedFullWidth(by: 2_000_000)
        // (2·n·10⁶ + d) / 2d, in 128 bits: rounds half up.
        let sum = UInt128(scaled.high) << 64 + UInt128(scaled.low) + UInt128(d)
        let q = sum / (UInt128(d) * 2)
        let whole = q / 1_000_000
        let frac = String(q % 1_000_000)
        return "\(whole)." + String(repeating: "0", count: 6 - frac.count) + frac
    }
}
