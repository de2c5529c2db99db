/// A plan target such as `>=1` or `<=0.05`, compared exactly: the threshold
/// is kept as a fraction, so `5/100 <= 0.05` holds without floating point.
public struct Target: Sendable, Equatable, CustomStringConvertible {
    public enum Comparison: String, Sendable { case atLeast = ">=", atMost = "<=" }
    public let comparison: Comparison
    /// The threshold is `numerator / scale`, scale a power of ten.
    public let numerator: Int
    public let scale: Int
    /// The threshold as written in the plan, for the output (`>=1`, `<=0.05`).
    public let text: String

    public var description: String { text }

    /// Parses `>=N` or `<=N` with N a non-negative decimal (at most 6 decimals).
    public static func parse(_ s: String) -> Target? {
        let t = s.trimmingSpaces
        let comparison: Comparison
        if t.hasPrefix(">=") { comparison = .atLeast } else if t.hasPrefix("<=") { comparison = .atMost } else { return nil }
        let number = t.dropFirst(2).trimmingSpaces
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit),
              whole.count <= 9 else { return nil }
        var numerator = Int(whole)!
        var scale = 1
        if parts.count == 2 {
            let frac = parts[1]
            guard !frac.isEmpty, frac.count <= 6, frac.allSatisfy(\.isASCIIDigit) else { return nil }
            for ch in frac {
                numerator = numerator * 10 + Int(String(ch))!
                scale *= 10
            }
        }
        // Written without trailing zeros, as the standard's tables write
        // targets (`>=0.8`, not `>=0.80`).
        while scale > 1 && numerator % 10 == 0 {
            numerator /= 10
            scale /= 10
        }
        return Target(comparison: comparison, numerator: numerator, scale: scale,
                      text: comparison.rawValue + decimal(numerator, scale))
    }

    /// `n/scale` (scale a power of ten) written without trailing zeros.
    public static func decimal(_ n: Int, _ scale: Int) -> String {
        guard scale > 1 else { return String(n) }
        var fraction = String(n % scale)
        fraction = String(repeating: "0", count: String(scale).count - 1 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? String(n / scale) : "\(n / scale).\(fraction)"
    }

    /// Whether `value` (a count, or `numerator/denominator` with
    /// denominator > 0) meets the target.
    public func isMet(numerator n: Int, denominator d: Int) -> Bool {
        // n/d >= t/s  <=>  n*s >= t*d, with d > 0 and s > 0.
        let left = n.multipliedFullWidth(by: scale)
        let right = numerator.multipliedFullWidth(by: d)
        let cmp: Int = left == right ? 0 : ((left.high, left.low) < (right.high, right.low) ? -1 : 1)
        return comparison == .atLeast ? cmp >= 0 : cmp <= 0
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(self.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
