import EdupipeStandard
import EdupipeAggregate

/// The workbook's level sheets as CSV files (`edupipe export --format
/// csv`): a unit per row, an indicator per column, values with the digits
/// of `indicators.csv` (empty for no data). UTF-8 with a byte-order mark,
/// so spreadsheet programs read the Chinese names right; text neutralised
/// against formula injection like the workbook's.
public enum WideCSV {
    public static let names: [(Registry.Level, String)] = [
        (.national, "indicators-national.csv"), (.province, "indicators-province.csv"),
        (.prefecture, "indicators-prefecture.csv"), (.county, "indicators-county.csv"),
    ]

    public static func write(_ t: PeriodTables, level: Registry.Level, registry: Registry,
                             config: CompiledPlan, to path: String) throws {
        let layout = WideLayout(level: level, config: config)
        try ContractFiles.stream(to: path) { b, flush in
            b.append("\u{FEFF}" as StaticString)
            let titles = layout.unitTitles + layout.indicators.map { layout.title($0, targets: t.levelTargets[layout.level] ?? t.targets, config: config) }
            for (k, title) in titles.enumerated() {
                if k > 0 { b.append(0x2C) }
                b.csvField(title.replacingNewlines)
            }
            b.append(0x0A)
            for unit in t.rows(level) {
                for (k, value) in layout.unitValues(unit, registry: registry).enumerated() {
                    if k > 0 { b.append(0x2C) }
                    b.csvField(FormulaGuard.neutralised(value))
                }
                for i in layout.indicators {
                    b.append(0x2C)
                    guard let cell = unit.cells[i], cell.status != .noData else { continue }
                    b.appendValue(cell.numerator, over: cell.denominator)
                }
                b.append(0x0A)
                try ContractFiles.rowDone(&b, flush)
            }
        }
    }
}

extension String {
    /// One header line: `课后服务覆盖率 Schools offering the service ...`.
    fileprivate var replacingNewlines: String { split(separator: "\n").joined(separator: " ") }
}
