import EdupipeInput

/// One indicator of the plan, compiled: what its numerator and
/// denominator sum, how it reads, its target.
public struct IndicatorSpec: Sendable {
    /// How numerator and denominator are found for a unit.
    public enum Kind: Sendable {
        /// Counties with a file in force over counties in the registry.
        case reportingRate
        /// Sums of measure slots (indices into the plan's global slots).
        case ratio(numerator: [Int], denominator: [Int])
        /// A sum of measure slots, with no denominator.
        case count([Int])
        /// Reporting counties whose measure is zero, over reporting counties;
        /// with `periods` above 1 (a property of the spec), zero in each of
        /// that many periods up to this one, each in its file in force
        /// (sustained zero, section 8.5).
        case countiesWithZero([Int])
        /// Children (linked values) listed by two or more counties of the unit.
        case linkedDuplicates
    }

    /// How people read the value.
    public enum Display: String, Sendable { case percent, decimal, count }

    /// `dataset.local_name`, as `indicators.csv` writes it.
    public let name: String
    public let dataset: Dataset
    public let kind: Kind
    public let names: DisplayName
    public let display: Display
    public let target: TargetRule
    /// Whether the report charts it, province by province.
    public let chart: Bool
    /// The numerator and denominator as the plan wrote them, for people.
    public let definition: (numerator: String, denominator: String?)
    /// Periods a `counties_with_zero` indicator looks at: this one and the
    /// ones before it (1: this period alone). Kept beside `kind`, not in
    /// it: a second payload in the enum's case changes its layout so that
    /// LeakSanitizer no longer sees the slots array it holds.
    public var periods = 1

    public var isCount: Bool {
        switch kind {
        case .count, .linkedDuplicates: true
        default: false
        }
    }
    public var isReportingRate: Bool {
        if case .reportingRate = kind { return true }
        return false
    }
    /// No county row: a county cannot list a child twice across counties.
    public var isCrossCounty: Bool {
        if case .linkedDuplicates = kind { return true }
        return false
    }
}

/// The plan's indicators in output order (byte order of their names), with
/// the plan's display order and its charted ones.
public final class IndicatorCatalog: Sendable {
    public let entries: [IndicatorSpec]
    /// Entry indices in the order the plan lists them.
    public let displayOrder: [Int]
    public let charted: [Int]
    private let indices: [String: Int]

    init(_ specs: [IndicatorSpec]) {
        let sorted = specs.enumerated().sorted { $0.element.name.utf8.lexicographicallyPrecedes($1.element.name.utf8) }
        entries = sorted.map(\.element)
        var position = [Int](repeating: 0, count: specs.count)
        for (i, e) in sorted.enumerated() { position[e.offset] = i }
        displayOrder = position
        charted = position.filter { sorted[$0].element.chart }
        indices = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
    }

    public var names: Set<String> { Set(entries.map(\.name)) }

    /// The position of an indicator in `entries`.
    public func index(of name: String) -> Int? { indices[name] }
}
