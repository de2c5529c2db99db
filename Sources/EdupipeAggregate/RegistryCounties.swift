import EdupipeStandard

/// The registry as validation asks it (`CountyDirectory`).
extension Registry: CountyDirectory {
    public func whyNotACounty(_ code: String) -> String? {
        guard !isCounty(code) else { return nil }
        return units[code].map { "\($0.name) is a \($0.level.rawValue), not a county-level unit" }
            ?? "it is not in the registry of divisions (2022 vintage)"
    }

    public func scopeExcluding(_ code: String) -> String? {
        guard let scope, !covers(scope, county: code) else { return nil }
        return units[scope].map { "\($0.name) \($0.code)" } ?? scope
    }
}
