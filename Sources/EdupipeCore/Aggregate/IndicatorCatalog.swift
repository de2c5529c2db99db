/// The indicators of section 4, by name, in output order (byte order of
/// their names), with the dataset each belongs to.
public enum IndicatorCatalog {
    public static let stages = ["primary", "junior", "senior", "all"]

    /// Every indicator name with its dataset; counts have no denominator.
    public struct Entry: Sendable {
        public let name: String
        public let dataset: Dataset
        public let isCount: Bool
    }

    public static let entries: [Entry] = {
        var list: [Entry] = []
        for d in Dataset.allCases { list.append(Entry(name: "\(d.rawValue).reporting_rate", dataset: d, isCount: false)) }
        for name in ["school_coverage", "student_participation", "five_two_compliance", "funding_secured"] {
            list.append(Entry(name: "after_school.\(name)", dataset: .afterSchool, isCount: false))
        }
        list.append(Entry(name: "dropout.identified", dataset: .dropout, isCount: true))
        list.append(Entry(name: "dropout.outstanding", dataset: .dropout, isCount: true))
        list.append(Entry(name: "dropout.resolution_rate", dataset: .dropout, isCount: false))
        list.append(Entry(name: "dropout.zero_counties", dataset: .dropout, isCount: false))
        list.append(Entry(name: "dropout.cross_county_duplicates", dataset: .dropout, isCount: true))
        for measure in ["avg_size", "large_share", "super_large_share", "over_standard_share"] {
            for s in stages { list.append(Entry(name: "class_size.\(measure).\(s)", dataset: .classSize, isCount: false)) }
        }
        return list.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }()

    public static let names: Set<String> = Set(entries.map(\.name))
}
