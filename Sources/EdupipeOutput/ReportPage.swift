import EdupipeInput
import EdupipeStandard
import EdupipeAggregate

/// Writes `report.html`: one self-contained page per period for the people
/// who decide. No scripts, fonts or images from elsewhere: the styles are
/// inline and the charts are SVG, so the file reads the same attached to a
/// mail, opened offline or printed on A4.
///
/// Every indicator cell carries its status as a class (`s-met`,
/// `s-not_met`, `s-no_data`, `s-no_target`); a missed target is also
/// marked with ✗, so the page reads in black and white too.
public enum ReportPage {
    /// Indicator columns per province table: what fits across A4.
    static let columnsPerTable = 9

    public static func write(_ t: PeriodTables, across: AcrossPeriods? = nil, registry: Registry, config: CompiledPlan,
                             to path: String) throws {
        let across = across ?? AcrossPeriods(views: [t], quality: [:])
        try ContractFiles.stream(to: path) { b, flush in
            try page(t, across: across, registry: registry, config: config, &b, flush)
        }
    }

    static func page(_ t: PeriodTables, across: AcrossPeriods, registry: Registry, config: CompiledPlan,
                     _ b: inout TextBuffer, _ flush: ContractFiles.Flush) throws {
        let previous = across.previous(of: t.period)
        b.append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n" as StaticString)
        b.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" as StaticString)
        b.markup("基础教育专项监测 \(t.period) · Basic-education monitoring")
        b.append("</title>\n<style>\n" as StaticString)
        b.append(ReportStyle.css)
        b.append("</style>\n</head>\n<body>\n" as StaticString)
        header(t, registry: registry, &b)
        national(t, previous: previous, config: config, &b)
        provinces(t, previous: previous, config: config, &b)
        try flush(&b)
        charts(t, config: config, &b)
        trends(t, across: across, config: config, &b)
        try ReportQuality.section(across.quality[t.period] ?? [], registry: registry, config: config, &b, flush)
        try notReported(t, registry: registry, config: config, &b, flush)
        try rejected(t, registry: registry, &b, flush)
        b.append("<footer>edupipe \(EdupipeVersion.current) · ")
        b.markup("计划 plan \(t.plan) · 数据来自本期 indicators.csv 与 submissions.csv")
        b.append("</footer>\n</body>\n</html>\n" as StaticString)
    }

    // MARK: Sections

    private static func header(_ t: PeriodTables, registry: Registry, _ b: inout TextBuffer) {
        b.append("<header>\n<h1>" as StaticString)
        b.markup("基础教育专项监测 \(t.period)")
        b.append(" <span class=\"en\">Basic-education monitoring</span></h1>\n<p class=\"meta\">" as StaticString)
        var counts: [SubmissionStatus: Int] = [:]
        for f in t.files { counts[f.status, default: 0] += 1 }
        b.markup("计划 plan \(t.plan) · 县 counties \(IndicatorFormat.grouped(registry.counties.count)) · 文件 files \(IndicatorFormat.grouped(t.files.count)): ")
        b.markup(SubmissionStatus.allCases.map { "\(IndicatorFormat.grouped(counts[$0] ?? 0)) \(StatusText.file($0))" }.joined(separator: ", "))
        b.append("</p>\n" as StaticString)
        legend(&b)
        b.append("</header>\n" as StaticString)
    }

    private static func legend(_ b: inout TextBuffer) {
        b.append("<p class=\"legend\">" as StaticString)
        for status in [IndicatorRow.Status.met, .notMet, .noTarget, .noData] {
            b.append("<span class=\"key s-\(status.rawValue)\">")
            b.markup(StatusText.indicator(status) + (status == .notMet ? " ✗" : ""))
            b.append("</span> " as StaticString)
        }
        b.append("</p>\n" as StaticString)
    }

    /// The nation's value of every indicator, with its target and status,
    /// and beside it the previous period's value and the change.
    private static func national(_ t: PeriodTables, previous: PeriodTables?, config: CompiledPlan, _ b: inout TextBuffer) {
        if t.isScoped {
            b.append("<section id=\"national\">\n<h2>" as StaticString); b.markup(t.national.name)
            b.append("主要指标 <span class=\"en\">Headline figures of " as StaticString); b.markup(t.national.code); b.append("</span></h2>\n" as StaticString)
        } else {
            b.append("<section id=\"national\">\n<h2>全国主要指标 <span class=\"en\">National headline figures</span></h2>\n" as StaticString)
        }
        b.append("<table class=\"headline\">\n<thead><tr><th>指标 Indicator</th><th class=\"num\">数值 Value</th><th class=\"num\">目标 Target</th><th>状态 Status</th><th class=\"num\">分子 / 分母 Numerator / denominator</th>" as StaticString)
        b.append("<th class=\"num\">上期 " as StaticString); b.markup(previous?.period ?? "Previous")
        b.append("</th><th class=\"num\">变化 Change</th></tr></thead>\n<tbody>\n" as StaticString)
        var dataset: Dataset?
        for i in config.displayedEntries {
            let entry = config.catalog.entries[i]
            guard let cell = t.national.cells[i] else { continue }
            if entry.dataset != dataset {
                dataset = entry.dataset
                let name = config.name(of: entry.dataset)
                b.append("<tr class=\"group\"><th colspan=\"7\">" as StaticString)
                b.markup(name.both)
                b.append("</th></tr>\n" as StaticString)
            }
            let format = IndicatorFormat(entry)
            let name = config.name(of: entry.name)
            b.append("<tr data-indicator=\"" as StaticString); b.markup(entry.name); b.append("\"><td>" as StaticString)
            b.markup(name.zh); b.append(" <span class=\"en\">" as StaticString); b.markup(name.en)
            b.append("</span></td>" as StaticString)
            statusCell(cell, format: format, &b)
            b.append("<td class=\"num\">" as StaticString)
            b.markup(t.targets[i].map(format.text) ?? "—")
            b.append("</td><td class=\"status s-\(cell.status.rawValue)\">")
            b.markup(StatusText.indicator(cell.status))
            b.append("</td><td class=\"num\">" as StaticString)
            b.markup(IndicatorFormat.grouped(cell.numerator) + (cell.denominator.map { " / " + IndicatorFormat.grouped($0) } ?? ""))
            b.append("</td>" as StaticString)
            let before = previous?.national.code == t.national.code ? previous?.national.cells[i] : nil
            b.append("<td class=\"num prev\">" as StaticString)
            b.markup(before.flatMap(format.text) ?? "—")
            b.append("</td><td class=\"num change\">" as StaticString)
            if let before, let direction = AcrossPeriods.direction(cell, before) {
                b.append("<span class=\"trend t\(direction > 0 ? "up" : direction < 0 ? "down" : "flat")\">")
                b.markup(AcrossPeriods.arrow(direction)); b.append("</span> " as StaticString)
                b.markup(AcrossPeriods.change(cell, before, format: format))
            } else {
                b.append("—" as StaticString)
            }
            b.append("</td></tr>\n" as StaticString)
        }
        b.append("</tbody>\n</table>\n</section>\n" as StaticString)
    }

    /// A value cell coloured by status, ✗ when the target is missed, and an
    /// arrow for the change since `before` (the previous period's value in
    /// its title).
    private static func statusCell(_ cell: PeriodTables.Cell?, format: IndicatorFormat, before: PeriodTables.Cell? = nil,
                                   _ b: inout TextBuffer) {
        guard let cell else { return b.append("<td class=\"num\"></td>" as StaticString) }
        b.append("<td class=\"num s-\(cell.status.rawValue)\">")
        b.markup(format.text(cell) ?? "—")
        if cell.status == .notMet { b.append("<span class=\"mark\"> ✗</span>" as StaticString) }
        if let before, let direction = AcrossPeriods.direction(cell, before) {
            b.append(" <span class=\"trend t\(direction > 0 ? "up" : direction < 0 ? "down" : "flat")\" title=\"")
            b.markup("上期 previous " + (format.text(before) ?? "—"))
            b.append("\">" as StaticString); b.markup(AcrossPeriods.arrow(direction)); b.append("</span>" as StaticString)
        }
        b.append("</td>" as StaticString)
    }

    /// Provinces down, indicators across, a table per dataset (split so
    /// each fits across a portrait A4 page).
    private static func provinces(_ t: PeriodTables, previous: PeriodTables?, config: CompiledPlan, _ b: inout TextBuffer) {
        var earlier: [String: PeriodTables.UnitRow] = [:]
        if let previous { for u in [previous.national] + previous.provinces + previous.prefectures { earlier[u.code] = u } }
        b.append("<section id=\"provinces\">\n<h2>分省指标 <span class=\"en\">Indicators by province</span></h2>\n" as StaticString)
        for dataset in config.datasets {
            let columns = config.displayedEntries.filter { config.catalog.entries[$0].dataset == dataset }
            let parts = stride(from: 0, to: columns.count, by: columnsPerTable).map {
                Array(columns[$0..<min($0 + columnsPerTable, columns.count)])
            }
            for (k, part) in parts.enumerated() {
                let name = config.name(of: dataset)
                b.append("<h3>" as StaticString)
                b.markup(name.both + (parts.count > 1 ? " (\(k + 1)/\(parts.count))" : ""))
                b.append("</h3>\n<table class=\"matrix\" data-dataset=\"\(dataset.rawValue)\">\n<thead><tr><th>省份 Province</th>")
                for i in part {
                    let entry = config.catalog.entries[i]
                    let n = config.name(of: entry.name)
                    b.append("<th class=\"num\" data-indicator=\"" as StaticString); b.markup(entry.name); b.append("\">" as StaticString)
                    b.markup(n.zh); b.append("<span class=\"en\">" as StaticString); b.markup(n.en); b.append("</span>" as StaticString)
                    if let target = t.targets[i] {
                        b.append("<span class=\"target\">" as StaticString); b.markup(IndicatorFormat(entry).text(target)); b.append("</span>" as StaticString)
                    }
                    b.append("</th>" as StaticString)
                }
                b.append("</tr></thead>\n<tbody>\n" as StaticString)
                for unit in t.isScoped ? [t.national] + t.prefectures.filter({ $0.code != t.national.code }) : [t.national] + t.provinces {
                    b.append(unit.level == .national ? "<tr class=\"nation\" data-code=\"" as StaticString : "<tr data-code=\"" as StaticString)
                    b.markup(unit.code); b.append("\"><th>" as StaticString); b.markup(unit.name); b.append("</th>" as StaticString)
                    for i in part {
                        statusCell(unit.cells[i], format: IndicatorFormat(config.catalog.entries[i]), before: earlier[unit.code]?.cells[i], &b)
                    }
                    b.append("</tr>\n" as StaticString)
                }
                b.append("</tbody>\n</table>\n" as StaticString)
            }
        }
        b.append("</section>\n" as StaticString)
    }

    private static func charts(_ t: PeriodTables, config: CompiledPlan, _ b: inout TextBuffer) {
        b.append("<section id=\"charts\">\n<h2>重点指标分省对比 <span class=\"en\">Key indicators by province, worst first</span></h2>\n" as StaticString)
        for i in config.catalog.charted {
            let entry = config.catalog.entries[i]
            let indicator = entry.name
            let format = IndicatorFormat(entry)
            let name = config.name(of: indicator)
            b.append("<figure data-indicator=\"" as StaticString); b.markup(indicator); b.append("\">\n<figcaption>" as StaticString)
            b.markup(name.zh); b.append(" <span class=\"en\">" as StaticString); b.markup(name.en); b.append("</span>" as StaticString)
            if let cell = t.national.cells[i], let text = format.text(cell) {
                b.append(" · " as StaticString); b.markup("全国 national " + text)
            }
            b.append("</figcaption>\n" as StaticString)
            // Provinces without data get no bar, only a line under the chart.
            let bars = t.provinces.compactMap { p -> BarChart.Bar? in
                guard let cell = p.cells[i], let value = cell.value else { return nil }
                return BarChart.Bar(label: p.name, cell: cell, value: value)
            }
            let without = t.provinces.filter { $0.cells[i]?.value == nil }
            if !bars.isEmpty {
                BarChart(bars: BarChart.ordered(bars, target: t.targets[i]), format: format, target: t.targets[i],
                         title: name.both).write(&b)
            }
            if !without.isEmpty {
                b.append("<p class=\"nodata-note\">无数据 no data: " as StaticString)
                b.markup(without.map(\.name).joined(separator: "、"))
                b.append("</p>" as StaticString)
            }
            b.append("\n</figure>\n" as StaticString)
        }
        b.append("</section>\n" as StaticString)
    }

    /// The charted indicators over every period of the run up to this one,
    /// for the nation (or the scope's unit): a small line chart each.
    private static func trends(_ t: PeriodTables, across: AcrossPeriods, config: CompiledPlan, _ b: inout TextBuffer) {
        let periods = across.through(t.period)
        b.append("<section id=\"trends\">\n<h2>各学期趋势 <span class=\"en\">Over the periods of this run</span></h2>\n" as StaticString)
        guard periods.count > 1 else {
            b.append("<p class=\"none\">本次运行只有一个学期 Only one period in this run.</p>\n</section>\n" as StaticString)
            return
        }
        for i in config.catalog.charted {
            let entry = config.catalog.entries[i]
            let name = config.name(of: entry.name)
            let points = periods.map { p -> TrendChart.Point in
                let cell = p.national.code == t.national.code ? p.national.cells[i] : nil
                return TrendChart.Point(label: p.period, value: cell?.value, text: cell.flatMap(IndicatorFormat(entry).text))
            }
            b.append("<figure class=\"trend\" data-indicator=\"" as StaticString); b.markup(entry.name); b.append("\">\n<figcaption>" as StaticString)
            b.markup(name.zh); b.append(" <span class=\"en\">" as StaticString); b.markup(name.en); b.append("</span></figcaption>\n" as StaticString)
            TrendChart(points: points, title: t.national.name + " " + name.both).write(&b)
            b.append("</figure>\n" as StaticString)
        }
        b.append("</section>\n" as StaticString)
    }

    /// Per dataset and province: the counties without a file in force, or
    /// "all N" when none of a province's counties has reported.
    private static func notReported(_ t: PeriodTables, registry: Registry, config: CompiledPlan,
                                    _ b: inout TextBuffer, _ flush: ContractFiles.Flush) throws {
        b.append("<section id=\"not-reported\">\n<h2>未报送的县 <span class=\"en\">Counties that have not reported</span></h2>\n" as StaticString)
        var countiesIn: [String: Int] = [:]
        for county in registry.counties { countiesIn[registry.province(of: county) ?? "", default: 0] += 1 }
        for dataset in config.datasets {
            let missing = t.notReported(dataset)
            let name = config.name(of: dataset)
            b.append("<h3 data-dataset=\"\(dataset.rawValue)\" data-count=\"\(missing.count)\">")
            b.markup("\(name.both): \(IndicatorFormat.grouped(missing.count)) / \(IndicatorFormat.grouped(registry.counties.count))")
            b.append("</h3>\n" as StaticString)
            guard !missing.isEmpty else {
                b.append("<p class=\"none\">全部已报送 All counties have reported.</p>\n" as StaticString)
                continue
            }
            b.append("<dl class=\"missing\">\n" as StaticString)
            var byProvince: [(String, [String])] = []
            for county in missing {
                let p = registry.province(of: county) ?? ""
                if byProvince.last?.0 == p { byProvince[byProvince.count - 1].1.append(county) } else { byProvince.append((p, [county])) }
            }
            for (province, counties) in byProvince {
                b.append("<dt>" as StaticString); b.markup(registry.units[province]?.name ?? province)
                b.append(" <span class=\"count\">\(counties.count) / \(countiesIn[province] ?? 0)</span></dt><dd>")
                if counties.count == countiesIn[province] {
                    b.append("全部未报送 none has reported" as StaticString)
                } else {
                    for (k, county) in counties.enumerated() {
                        if k > 0 { b.append("、" as StaticString) }
                        b.markup(registry.units[county]?.name ?? county)
                        b.append("<span class=\"code\">" as StaticString); b.markup(county); b.append("</span>" as StaticString)
                    }
                }
                b.append("</dd>\n" as StaticString)
                try ContractFiles.rowDone(&b, flush)
            }
            b.append("</dl>\n" as StaticString)
        }
        b.append("</section>\n" as StaticString)
    }

    private static func rejected(_ t: PeriodTables, registry: Registry, _ b: inout TextBuffer, _ flush: ContractFiles.Flush) throws {
        let files = t.rejectedFiles
        b.append("<section id=\"rejected\">\n<h2>退回的文件 <span class=\"en\">Rejected files</span> <span class=\"count\">\(files.count)</span></h2>\n")
        guard !files.isEmpty else {
            b.append("<p class=\"none\">没有退回的文件 No file was rejected.</p>\n</section>\n" as StaticString)
            return
        }
        b.append("<table class=\"files\">\n<thead><tr><th>文件 File</th><th>县 County</th><th>首个错误 First error</th><th>位置 Where</th><th>说明 What is wrong</th></tr></thead>\n<tbody>\n" as StaticString)
        for f in files {
            b.append("<tr><td class=\"file\">" as StaticString); b.markup(f.path)
            b.append("</td><td>" as StaticString)
            if let county = f.county { b.markup((registry.units[county]?.name ?? "") + " " + county) }
            b.append("</td><td class=\"code\">" as StaticString); b.markup(f.firstError ?? "")
            b.append("</td><td>" as StaticString)
            var place: [String] = []
            if let line = f.line { place.append("行 line \(line)") }
            if let column = f.column { place.append("列 column \(column)") }
            b.markup(place.joined(separator: ", "))
            b.append("</td><td>" as StaticString); b.markup(f.firstMessage ?? "")
            b.append("</td></tr>\n" as StaticString)
            try ContractFiles.rowDone(&b, flush)
        }
        b.append("</tbody>\n</table>\n</section>\n" as StaticString)
    }
}
