/// The target of one indicator: a default, with overrides per level
/// (`county`, `prefecture`, `province`, `national`), per period and per
/// province (a province's own, stricter target). The most specific one
/// applies: province, then period, then level, then the default. An
/// override may be `null`: no target there.
public struct TargetRule: Sendable {
    public var base: Target?
    public var levels: [String: Target?] = [:]
    public var periods: [String: Target?] = [:]
    public var provinces: [String: Target?] = [:]

    public init(base: Target? = nil) { self.base = base }

    /// The target of a row of `level` in `period`, for a unit in
    /// `province` (nil for the nation).
    public func target(level: String, period: String, province: String?) -> Target? {
        if let province, let t = provinces[province] { return t }
        if let t = periods[period] { return t }
        if let t = levels[level] { return t }
        return base
    }

    /// Whether any override exists: without one, every row shares the default.
    public var isUniform: Bool { levels.isEmpty && periods.isEmpty && provinces.isEmpty }
}
