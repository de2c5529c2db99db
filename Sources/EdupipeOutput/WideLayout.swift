import EdupipeStandard
import EdupipeAggregate

/// The wide layout of one level, shared by the workbook's sheets and the
/// wide CSV tables: the columns that name a unit, then one column per
/// indicator in the plan's display order.
struct WideLayout {
    let level: Registry.Level
    /// Titles of the unit columns, Chinese above English.
    let unitTitles: [String]
    /// Catalog indices of the indicator columns.
    let indicators: [Int]

    init(level: Registry.Level, config: CompiledPlan) {
        self.level = level
        switch level {
        case .national, .province: unitTitles = ["代码\nCode", "名称\nName"]
        case .prefecture: unitTitles = ["代码\nCode", "名称\nName", "省份\nProvince"]
        case .county: unitTitles = ["代码\nCode", "名称\nName", "省份\nProvince", "地市\nPrefecture"]
        }
        // No county has a cross-county duplicates row: no column for it.
        indicators = config.displayedEntries.filter { level != .county || !config.catalog.entries[$0].isCrossCounty }
    }

    var columnCount: Int { unitTitles.count + indicators.count }

    /// An indicator column's title: its names, and its target if it has one.
    func title(_ index: Int, targets: [Target?], config: CompiledPlan) -> String {
        let entry = config.catalog.entries[index]
        let name = config.name(of: entry.name)
        var text = name.zh + "\n" + name.en
        if let target = targets[index] { text += "\n目标 target " + IndicatorFormat(entry).text(target) }
        return text
    }

    /// The unit columns' values: code, name, and the names of its parents.
    func unitValues(_ unit: PeriodTables.UnitRow, registry: Registry) -> [String] {
        var values = [unit.code, unit.name]
        if level == .prefecture || level == .county {
            values.append(registry.provinceName(of: unit.code))
        }
        if level == .county {
            values.append(registry.prefectureName(of: unit.code))
        }
        return values
    }
}
