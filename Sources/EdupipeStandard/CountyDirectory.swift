/// What validation needs of the registry of divisions: whether a file's
/// county is a county-level unit that reports, and if not, what it is. The
/// registry (Aggregate) answers it; validation does not reach for the rest
/// of the hierarchy.
public protocol CountyDirectory: Sendable {
    /// nil when `code` is a county-level unit; else why it cannot report,
    /// in words for the `E_UNKNOWN_COUNTY` message.
    func whyNotACounty(_ code: String) -> String?
    /// nil when `code` (a county) lies within the unit the run covers; else
    /// that unit's name, for the `E_OUT_OF_SCOPE` message.
    func scopeExcluding(_ code: String) -> String?
}

extension CountyDirectory {
    public func scopeExcluding(_ code: String) -> String? { nil }
}
