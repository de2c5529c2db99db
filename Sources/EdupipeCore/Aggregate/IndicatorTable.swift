/// Computes every indicator of section 4 for one period, at four levels,
/// for every unit of the registry and the nation, from the files in force.
public struct IndicatorTable: Sendable {
    public let period: String
    public let rows: [IndicatorRow]

    public static let nationalCode = "000000"
    public static let nationalName = "全国"

    public init(period: String, counties: [String: CountyFiles], duplicates: CrossCountyDuplicates,
                registry: Registry, targets: [String: Target]) {
        self.period = period
        var province: [String: UnitTotals] = [:]
        var prefecture: [String: UnitTotals] = [:]
        var county: [String: UnitTotals] = [:]
        var national = UnitTotals()
        for code in registry.counties {
            let files = counties[code] ?? CountyFiles()
            var own = UnitTotals()
            own.add(county: files)
            county[code] = own
            national.add(county: files)
            if let p = registry.province(of: code) { province[p, default: UnitTotals()].add(county: files) }
            if let p = registry.prefecture(of: code) { prefecture[p, default: UnitTotals()].add(county: files) }
        }
        national.crossCountyDuplicates = duplicates.national
        for (code, n) in duplicates.byProvince { province[code]?.crossCountyDuplicates = n }
        for (code, n) in duplicates.byPrefecture { prefecture[code]?.crossCountyDuplicates = n }

        var rows: [IndicatorRow] = []
        func emit(_ level: Registry.Level, _ code: String, _ name: String, _ totals: UnitTotals) {
            for entry in IndicatorCatalog.entries {
                if level == .county && entry.name == "dropout.cross_county_duplicates" { continue }
                rows.append(Self.row(period: period, level: level, code: code, name: name, entry: entry,
                                     totals: totals, target: targets[entry.name]))
            }
        }
        emit(.national, Self.nationalCode, Self.nationalName, national)
        for code in registry.provinces { emit(.province, code, registry.units[code]!.name, province[code] ?? UnitTotals()) }
        for code in registry.prefectures { emit(.prefecture, code, registry.units[code]!.name, prefecture[code] ?? UnitTotals()) }
        for code in registry.counties { emit(.county, code, registry.units[code]!.name, county[code]!) }
        self.rows = rows
    }

    static func row(period: String, level: Registry.Level, code: String, name: String,
                    entry: IndicatorCatalog.Entry, totals t: UnitTotals, target: Target?) -> IndicatorRow {
        let (numerator, denominator) = measure(entry.name, t)
        let hasData: Bool
        if entry.name.hasSuffix(".reporting_rate") {
            hasData = (denominator ?? 0) > 0
        } else {
            hasData = t.hasData(entry.dataset) && (entry.isCount || (denominator ?? 0) > 0)
        }
        let value: String?
        let status: IndicatorRow.Status
        if !hasData {
            value = nil
            status = .noData
        } else {
            value = entry.isCount ? String(numerator) : Ratio.sixDecimals(numerator, denominator!)
            if let target {
                status = target.isMet(numerator: numerator, denominator: denominator ?? 1) ? .met : .notMet
            } else {
                status = .noTarget
            }
        }
        return IndicatorRow(period: period, level: level, code: code, name: name, indicator: entry.name,
                            numerator: numerator, denominator: denominator, value: value, target: target, status: status)
    }

    /// Numerator and denominator (nil for counts) of one indicator.
    static func measure(_ indicator: String, _ t: UnitTotals) -> (Int, Int?) {
        let parts = indicator.split(separator: ".")
        switch (parts[0], parts[1]) {
        case (_, "reporting_rate"):
            return (t.reporting[Dataset(rawValue: String(parts[0]))!] ?? 0, t.counties)
        case ("after_school", "school_coverage"): return (t.afterSchool.offering, t.afterSchool.schools)
        case ("after_school", "student_participation"): return (t.afterSchool.participants, t.afterSchool.enrolled)
        case ("after_school", "five_two_compliance"): return (t.afterSchool.fiveTwo, t.afterSchool.offering)
        case ("after_school", "funding_secured"): return (t.afterSchool.funded, t.afterSchool.offering)
        case ("dropout", "identified"): return (t.dropoutRecords, nil)
        case ("dropout", "outstanding"): return (t.dropoutOutstanding, nil)
        case ("dropout", "resolution_rate"): return (t.dropoutRecords - t.dropoutOutstanding, t.dropoutRecords)
        case ("dropout", "zero_counties"): return (t.zeroCounties, t.reporting[.dropout] ?? 0)
        case ("dropout", "cross_county_duplicates"): return (t.crossCountyDuplicates, nil)
        case ("class_size", let measure):
            let stage: ClassStageTotals
            switch parts[2] {
            case "primary": stage = t.classSize.primary
            case "junior": stage = t.classSize.junior
            case "senior": stage = t.classSize.senior
            default: stage = t.classSize.all
            }
            switch measure {
            case "avg_size": return (stage.students, stage.classes)
            case "large_share": return (stage.large, stage.classes)
            case "super_large_share": return (stage.superLarge, stage.classes)
            default: return (stage.overStandard, stage.classes)
            }
        default:
            preconditionFailure("indicator \(indicator) is in the catalog but not measured")
        }
    }
}
