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
        rows.reserveCapacity((1 + registry.provinces.count + registry.prefectures.count + registry.counties.count)
                             * IndicatorCatalog.entries.count)
        // One target lookup per indicator, not per row.
        let entryTargets = IndicatorCatalog.entries.map { targets[$0.name] }
        func emit(_ level: Registry.Level, _ code: String, _ name: String, _ totals: UnitTotals) {
            let unit = IndicatorUnit(period: period, level: level, code: code, name: name, targets: entryTargets)
            for (i, entry) in IndicatorCatalog.entries.enumerated() {
                if level == .county, case .crossCountyDuplicates = entry.measure { continue }
                rows.append(Self.row(unit: unit, entry: i, totals: totals))
            }
        }
        emit(.national, Self.nationalCode, Self.nationalName, national)
        for code in registry.provinces { emit(.province, code, registry.units[code]!.name, province[code] ?? UnitTotals()) }
        for code in registry.prefectures { emit(.prefecture, code, registry.units[code]!.name, prefecture[code] ?? UnitTotals()) }
        for code in registry.counties { emit(.county, code, registry.units[code]!.name, county[code]!) }
        self.rows = rows
    }

    static func row(unit: IndicatorUnit, entry index: Int, totals t: UnitTotals) -> IndicatorRow {
        let entry = IndicatorCatalog.entries[index]
        let target = unit.targets[index]
        let (numerator, denominator) = measure(entry.measure, t)
        let hasData: Bool
        if entry.isReportingRate {
            hasData = (denominator ?? 0) > 0
        } else {
            hasData = t.hasData(entry.dataset) && (entry.isCount || (denominator ?? 0) > 0)
        }
        let status: IndicatorRow.Status
        if !hasData {
            status = .noData
        } else {
            if let target {
                status = target.isMet(numerator: numerator, denominator: denominator ?? 1) ? .met : .notMet
            } else {
                status = .noTarget
            }
        }
        return IndicatorRow(unit: unit, entry: index, numerator: numerator, denominator: denominator, status: status)
    }

    /// Numerator and denominator (nil for counts) of one indicator.
    static func measure(_ m: IndicatorCatalog.Measure, _ t: UnitTotals) -> (Int, Int?) {
        func stage(_ s: IndicatorCatalog.Stage) -> ClassStageTotals {
            switch s {
            case .primary: t.classSize.primary
            case .junior: t.classSize.junior
            case .senior: t.classSize.senior
            case .all: t.classSize.all
            }
        }
        switch m {
        case .reportingRate(let d): return (t.reporting[d], t.counties)
        case .schoolCoverage: return (t.afterSchool.offering, t.afterSchool.schools)
        case .studentParticipation: return (t.afterSchool.participants, t.afterSchool.enrolled)
        case .fiveTwoCompliance: return (t.afterSchool.fiveTwo, t.afterSchool.offering)
        case .fundingSecured: return (t.afterSchool.funded, t.afterSchool.offering)
        case .identified: return (t.dropoutRecords, nil)
        case .outstanding: return (t.dropoutOutstanding, nil)
        case .resolutionRate: return (t.dropoutRecords - t.dropoutOutstanding, t.dropoutRecords)
        case .zeroCounties: return (t.zeroCounties, t.reporting[.dropout])
        case .crossCountyDuplicates: return (t.crossCountyDuplicates, nil)
        case .averageSize(let s): return (stage(s).students, stage(s).classes)
        case .largeShare(let s): return (stage(s).large, stage(s).classes)
        case .superLargeShare(let s): return (stage(s).superLarge, stage(s).classes)
        case .overStandardShare(let s): return (stage(s).overStandard, stage(s).classes)
        }
    }
}
