import EdupipeStandard

/// Computes every indicator of the plan for one period, at four levels,
/// for every unit of the registry and the nation, from the files in force.
public struct IndicatorTable: Sendable {
    public let period: String
    public let rows: IndicatorRows

    public static let nationalCode = "000000"
    public static let nationalName = "全国"

    /// `previous` holds the files in force of the periods before this one,
    /// the nearest first (section 8.1), as far back as a sustained
    /// indicator looks; a period missing from the inbox is an empty map.
    public init(period: String, counties: [String: CountyFiles], previous: [[String: CountyFiles]] = [],
                duplicates: [Int: CrossCountyDuplicates], registry: Registry, config: CompiledPlan) {
        self.period = period
        let catalog = config.catalog
        let bases = config.slotBases
        var zeroChecks: [ZeroCheck] = []
        for (i, e) in catalog.entries.enumerated() {
            if case .countiesWithZero(let slots) = e.kind {
                zeroChecks.append(ZeroCheck(entry: i, dataset: e.dataset.index, slots: slots, periods: e.periods))
            }
        }
        let empty = UnitTotals(config: config)
        let none = CountyFiles(datasets: config.datasetPlans.count)
        var province: [String: UnitTotals] = [:]
        var prefecture: [String: UnitTotals] = [:]
        var county: [String: UnitTotals] = [:]
        var national = empty
        for code in registry.counties {
            let files = counties[code] ?? none
            let history = previous.map { $0[code] }
            var own = empty
            own.add(county: files, history: history, zeroChecks: zeroChecks, bases: bases)
            county[code] = own
            national.add(county: files, history: history, zeroChecks: zeroChecks, bases: bases)
            if let p = registry.province(of: code) {
                province[p, default: empty].add(county: files, history: history, zeroChecks: zeroChecks, bases: bases)
            }
            if let p = registry.prefecture(of: code) {
                prefecture[p, default: empty].add(county: files, history: history, zeroChecks: zeroChecks, bases: bases)
            }
        }
        for (d, dups) in duplicates {
            national.crossCountyDuplicates[d] = dups.national
            for (code, n) in dups.byProvince { province[code]?.crossCountyDuplicates[d] = n }
            for (code, n) in dups.byPrefecture { prefecture[code]?.crossCountyDuplicates[d] = n }
        }

        var rows = IndicatorRows.Builder(capacity: (1 + registry.provinces.count + registry.prefectures.count
                                                    + registry.counties.count) * catalog.entries.count)
        // One target list per level and province (not per row), shared by
        // the units that have it.
        var targetLists: [String: [Target?]] = [:]
        func targets(_ level: Registry.Level, _ provinceCode: String?) -> [Target?] {
            let key = level.rawValue + "|" + (provinceCode ?? "")
            if let list = targetLists[key] { return list }
            let list = catalog.entries.map { $0.target.target(level: level.rawValue, period: period, province: provinceCode) }
            targetLists[key] = list
            return list
        }
        let uniform = catalog.entries.allSatisfy(\.target.isUniform)
        func emit(_ level: Registry.Level, _ code: String, _ name: String, _ totals: UnitTotals) {
            let provinceCode = uniform || level == .national ? nil : registry.province(of: code) ?? code
            let unit = IndicatorUnit(period: period, level: level, code: code, name: name,
                                     targets: targets(uniform ? .national : level, provinceCode), catalog: catalog)
            for i in catalog.entries.indices {
                if level == .county && catalog.entries[i].isCrossCounty { continue }
                Self.row(unit: unit, entry: i, totals: totals, into: &rows)
            }
        }
        // A scoped run's top row is its unit's own: the rest of the country
        // is not in its inbox.
        if registry.scope == nil { emit(.national, Self.nationalCode, Self.nationalName, national) }
        for code in registry.provinces { emit(.province, code, registry.units[code]!.name, province[code] ?? empty) }
        for code in registry.prefectures { emit(.prefecture, code, registry.units[code]!.name, prefecture[code] ?? empty) }
        for code in registry.counties { emit(.county, code, registry.units[code]!.name, county[code]!) }
        self.rows = rows.finish()
    }

    static func row(unit: IndicatorUnit, entry index: Int, totals t: UnitTotals, into rows: inout IndicatorRows.Builder) {
        let entry = unit.catalog.entries[index]
        let target = unit.targets[index]
        let (numerator, denominator) = measure(entry, index, t)
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
        rows.append(unit: unit, entry: index, numerator: numerator, denominator: denominator, status: status)
    }

    /// Numerator and denominator (nil for counts) of one indicator.
    static func measure(_ e: IndicatorSpec, _ index: Int, _ t: UnitTotals) -> (Int, Int?) {
        func sum(_ slots: [Int]) -> Int { slots.reduce(0) { $0 + t.sums[$1] } }
        switch e.kind {
        case .reportingRate: return (t.reporting[e.dataset.index], t.counties)
        case .ratio(let n, let d): return (sum(n), sum(d))
        case .count(let n): return (sum(n), nil)
        case .countiesWithZero: return (t.zeroCounties[index] ?? 0, t.reporting[e.dataset.index])
        case .linkedDuplicates: return (t.crossCountyDuplicates[e.dataset.index] ?? 0, nil)
        }
    }
}
