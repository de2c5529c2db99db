/// The indicators of section 4, by name, in output order (byte order of
/// their names), with the dataset each belongs to and what it measures.
public enum IndicatorCatalog {
    /// A class-size stage, or all stages together.
    public enum Stage: Sendable { case primary, junior, senior, all }

    /// What an indicator's numerator and denominator are (section 4).
    public enum Measure: Sendable {
        case reportingRate(Dataset)
        case schoolCoverage, studentParticipation, fiveTwoCompliance, fundingSecured
        case identified, outstanding, resolutionRate, zeroCounties, crossCountyDuplicates
        case averageSize(Stage), largeShare(Stage), superLargeShare(Stage), overStandardShare(Stage)
    }

    public struct Entry: Sendable {
        public let name: String
        public let dataset: Dataset
        public let measure: Measure
        /// Counts have no denominator.
        public var isCount: Bool {
            switch measure {
            case .identified, .outstanding, .crossCountyDuplicates: true
            default: false
            }
        }
        public var isReportingRate: Bool {
            if case .reportingRate = measure { return true }
            return false
        }
    }

    public static let entries: [Entry] = {
        var list: [Entry] = []
        for d in Dataset.allCases { list.append(Entry(name: "\(d.rawValue).reporting_rate", dataset: d, measure: .reportingRate(d))) }
        let after: [(String, Measure)] = [("school_coverage", .schoolCoverage), ("student_participation", .studentParticipation),
                                          ("five_two_compliance", .fiveTwoCompliance), ("funding_secured", .fundingSecured)]
        for (name, m) in after { list.append(Entry(name: "after_school.\(name)", dataset: .afterSchool, measure: m)) }
        let dropout: [(String, Measure)] = [("identified", .identified), ("outstanding", .outstanding),
                                            ("resolution_rate", .resolutionRate), ("zero_counties", .zeroCounties),
                                            ("cross_county_duplicates", .crossCountyDuplicates)]
        for (name, m) in dropout { list.append(Entry(name: "dropout.\(name)", dataset: .dropout, measure: m)) }
        let stages: [(String, Stage)] = [("primary", .primary), ("junior", .junior), ("senior", .senior), ("all", .all)]
        for (s, stage) in stages {
            list.append(Entry(name: "class_size.avg_size.\(s)", dataset: .classSize, measure: .averageSize(stage)))
            list.append(Entry(name: "class_size.large_share.\(s)", dataset: .classSize, measure: .largeShare(stage)))
            list.append(Entry(name: "class_size.super_large_share.\(s)", dataset: .classSize, measure: .superLargeShare(stage)))
            list.append(Entry(name: "class_size.over_standard_share.\(s)", dataset: .classSize, measure: .overStandardShare(stage)))
        }
        return list.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }()

    public static let names: Set<String> = Set(entries.map(\.name))

    private static let indices: [String: Int] = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })

    /// The position of an indicator in `entries`.
    public static func index(of name: String) -> Int? { indices[name] }
}
