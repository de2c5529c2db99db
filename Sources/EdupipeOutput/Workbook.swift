#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport
import EdupipeInput
import EdupipeStandard
import EdupipeAggregate

/// Writes `indicators.xlsx`, an Office Open XML workbook of one period for
/// the people who act on the indicators: one sheet per level (全国, 省级,
/// 地市级, 县级) with a unit per row and an indicator per column, the
/// counties that have not reported, and the period's files.
///
/// Values are numeric cells (ratios with a percent format, so a reader
/// sorts and sums them as numbers); cells that miss their target are
/// highlighted; text is escaped and neutralised against formula injection.
public enum Workbook {
    /// Sheet names, in tab order.
    public static let levelSheets: [(Registry.Level, String)] = [
        (.national, "全国"), (.province, "省级"), (.prefecture, "地市级"), (.county, "县级"),
    ]
    public static let notReportedSheet = "未报送"
    public static let filesSheet = "报送文件"
    public static let trendSheet = "趋势"
    public static let qualitySheet = "数据质量"

    public static var sheetNames: [String] { levelSheets.map(\.1) + [notReportedSheet, filesSheet, trendSheet, qualitySheet] }

    public static func write(_ tables: PeriodTables, across: AcrossPeriods? = nil, registry: Registry, config: CompiledPlan,
                             to path: String) throws {
        let across = across ?? AcrossPeriods(views: [tables], quality: [:])
        let periods = across.through(tables.period)
        let flags = across.quality[tables.period] ?? []
        let temporary = AtomicFile.temporaryPath(for: path)
        unlink(temporary)
        // The counties that have not reported, listed once; each sheet's
        // size, worked out once: the sheet's filter and the workbook's
        // hidden filter name must name the same range.
        let missing = config.datasets.map { ($0, tables.notReported($0)) }
        var extents = sheetNames.indices.dropLast(2).map {
            extent(tables, sheet: $0, config: config, missing: missing.reduce(0) { $0 + $1.1.count })
        }
        extents.append((trendColumns.count + periods.count, 1 + (1 + tables.provinces.count) * config.displayedEntries.count))
        extents.append((qualityColumns.count, 1 + flags.count))
        do {
            let archive = try WorkbookArchive(path: temporary)
            try archive.add("[Content_Types].xml") { b, _ in contentTypes(&b) }
            try archive.add("_rels/.rels") { b, _ in b.append(rootRelationships) }
            try archive.add("docProps/core.xml") { b, _ in core(tables, &b) }
            try archive.add("xl/workbook.xml") { b, _ in workbook(extents, &b) }
            try archive.add("xl/_rels/workbook.xml.rels") { b, _ in workbookRelationships(&b) }
            try archive.add("xl/styles.xml") { b, _ in b.append(WorkbookStyles.xml) }
            let shared = SharedStrings(registry: registry, config: config)
            try archive.add("xl/sharedStrings.xml") { b, _ in shared.write(&b) }
            for (i, (level, _)) in levelSheets.enumerated() {
                try archive.add("xl/worksheets/sheet\(i + 1).xml") { b, flush in
                    try levelSheet(tables, layout: WideLayout(level: level, config: config), extent: extents[i],
                                   registry: registry, config: config, shared: shared, selected: i == 0, &b, flush)
                }
            }
            try archive.add("xl/worksheets/sheet\(levelSheets.count + 1).xml") { b, flush in
                try notReported(missing, extent: extents[levelSheets.count], registry: registry, config: config,
                                shared: shared, &b, flush)
            }
            try archive.add("xl/worksheets/sheet\(levelSheets.count + 2).xml") { b, flush in
                try files(tables, extent: extents[levelSheets.count + 1], registry: registry, config: config,
                          shared: shared, &b, flush)
            }
            try archive.add("xl/worksheets/sheet\(levelSheets.count + 3).xml") { b, flush in
                try trend(tables, periods: periods, extent: extents[levelSheets.count + 2], config: config, shared: shared, &b, flush)
            }
            try archive.add("xl/worksheets/sheet\(levelSheets.count + 4).xml") { b, flush in
                try quality(flags, extent: extents[levelSheets.count + 3], registry: registry, shared: shared, &b, flush)
            }
            try archive.finish()
        } catch {
            unlink(temporary)
            throw EdupipeError(.io, "\(error)")
        }
        try AtomicFile.publish(temporary, as: path)
    }

    // MARK: Package parts

    static let xmlDeclaration: StaticString = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    private static let mainNamespace: StaticString = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    private static func contentTypes(_ b: inout TextBuffer) {
        b.append(xmlDeclaration)
        b.append("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" as StaticString)
        b.append("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" as StaticString)
        b.append("<Default Extension=\"xml\" ContentType=\"application/xml\"/>" as StaticString)
        b.append("<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>" as StaticString)
        b.append("<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>" as StaticString)
        b.append("<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>" as StaticString)
        b.append("<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>" as StaticString)
        for i in 1...sheetNames.count {
            b.append("<Override PartName=\"/xl/worksheets/sheet\(i).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>")
        }
        b.append("</Types>" as StaticString)
    }

    private static let rootRelationships: StaticString = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
        </Relationships>
        """

    private static func core(_ t: PeriodTables, _ b: inout TextBuffer) {
        b.append(xmlDeclaration)
        b.append("<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">" as StaticString)
        b.append("<dc:title>" as StaticString)
        b.markup("\(t.plan) \(t.period) 指标 indicators")
        b.append("</dc:title><dc:creator>edupipe</dc:creator></cp:coreProperties>" as StaticString)
    }

    private static func workbook(_ extents: [(columns: Int, rows: Int)], _ b: inout TextBuffer) {
        b.append(xmlDeclaration)
        b.append("<workbook xmlns=\"" as StaticString); b.append(mainNamespace)
        b.append("\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" as StaticString)
        b.append("<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>" as StaticString)
        for (i, name) in sheetNames.enumerated() {
            b.append("<sheet name=\"" as StaticString); b.markup(name)
            b.append("\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>")
        }
        b.append("</sheets><definedNames>" as StaticString)
        // Excel keeps an autofilter's range in a hidden name as well.
        for (i, name) in sheetNames.enumerated() {
            let (columns, rows) = extents[i]
            b.append("<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(i)\" hidden=\"1\">'")
            b.markup(name)
            b.append("'!$A$1:$\(columnName(columns - 1))$\(rows)</definedName>")
        }
        b.append("</definedNames></workbook>" as StaticString)
    }

    private static func workbookRelationships(_ b: inout TextBuffer) {
        b.append(xmlDeclaration)
        b.append("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" as StaticString)
        for i in 1...sheetNames.count {
            b.append("<Relationship Id=\"rId\(i)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i).xml\"/>")
        }
        b.append("<Relationship Id=\"rId\(sheetNames.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>")
        b.append("<Relationship Id=\"rId\(sheetNames.count + 2)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>")
        b.append("</Relationships>" as StaticString)
    }

    // MARK: Sheets

    private static let notReportedColumns = ["数据集\nDataset", "省份\nProvince", "地市\nPrefecture", "县代码\nCounty code", "县名称\nCounty"]
    private static let filesColumns = ["文件\nFile", "县代码\nCounty code", "县名称\nCounty", "数据集\nDataset", "修订版\nRevision",
                                       "状态\nStatus", "记录数\nRecords", "错误数\nErrors", "警告数\nWarnings",
                                       "首个错误\nFirst error", "行\nLine", "列\nColumn", "说明\nWhat is wrong"]

    /// Columns and rows (header included) of sheet `i`.
    private static func extent(_ t: PeriodTables, sheet i: Int, config: CompiledPlan, missing: Int) -> (columns: Int, rows: Int) {
        if i < levelSheets.count {
            let level = levelSheets[i].0
            return (WideLayout(level: level, config: config).columnCount, t.rows(level).count + 1)
        }
        if i == levelSheets.count {
            return (notReportedColumns.count, 1 + missing)
        }
        return (filesColumns.count, t.files.count + 1)
    }

    private static func levelSheet(_ t: PeriodTables, layout: WideLayout, extent: (columns: Int, rows: Int), registry: Registry,
                                   config: CompiledPlan, shared: SharedStrings, selected: Bool,
                                   _ b: inout TextBuffer, _ flush: ContractFiles.Flush) throws {
        let formats = layout.indicators.map { IndicatorFormat(config.catalog.entries[$0]) }
        var sheet = SheetWriter(columns: extent.columns, rows: extent.rows,
                                frozenColumns: layout.unitTitles.count, selected: selected, shared: shared)
        sheet.begin(&b, widths: layout.unitTitles.map { $0.hasPrefix("代码") ? 9 : 16 } + layout.indicators.map { _ in 15 })
        sheet.headerRow(&b, layout.unitTitles + layout.indicators.map { layout.title($0, targets: t.levelTargets[layout.level] ?? t.targets, config: config) })
        for unit in t.rows(layout.level) {
            sheet.beginRow(&b)
            for value in layout.unitValues(unit, registry: registry) { sheet.text(&b, value) }
            for (k, i) in layout.indicators.enumerated() {
                sheet.value(&b, unit.cells[i], format: formats[k])
            }
            sheet.endRow(&b)
            try ContractFiles.rowDone(&b, flush)
        }
        sheet.end(&b)
    }

    private static func notReported(_ missing: [(Dataset, [String])], extent: (columns: Int, rows: Int), registry: Registry,
                                    config: CompiledPlan, shared: SharedStrings,
                                    _ b: inout TextBuffer, _ flush: ContractFiles.Flush) throws {
        var sheet = SheetWriter(columns: extent.columns, rows: extent.rows, frozenColumns: 0, selected: false, shared: shared)
        sheet.begin(&b, widths: [18, 14, 16, 12, 16])
        sheet.headerRow(&b, notReportedColumns)
        for (dataset, counties) in missing {
            let name = config.name(of: dataset)
            for county in counties {
                sheet.beginRow(&b)
                sheet.text(&b, name.both)
                sheet.text(&b, registry.provinceName(of: county))
                sheet.text(&b, registry.prefectureName(of: county))
                sheet.text(&b, county)
                sheet.text(&b, registry.units[county]?.name ?? "")
                sheet.endRow(&b)
                try ContractFiles.rowDone(&b, flush)
            }
        }
        sheet.end(&b)
    }

    private static func files(_ t: PeriodTables, extent: (columns: Int, rows: Int), registry: Registry, config: CompiledPlan,
                              shared: SharedStrings, _ b: inout TextBuffer, _ flush: ContractFiles.Flush) throws {
        var sheet = SheetWriter(columns: extent.columns, rows: extent.rows, frozenColumns: 1, selected: false, shared: shared)
        sheet.begin(&b, widths: [44, 11, 14, 16, 9, 16, 9, 9, 9, 22, 7, 14, 70])
        sheet.headerRow(&b, filesColumns)
        for f in t.files {
            sheet.beginRow(&b)
            sheet.text(&b, f.path)
            sheet.text(&b, f.county ?? "")
            sheet.text(&b, f.county.flatMap { registry.units[$0]?.name } ?? "")
            sheet.text(&b, f.dataset.map { config.name(of: $0).both } ?? "")
            sheet.number(&b, f.revision)
            sheet.text(&b, StatusText.file(f.status), style: f.status == .rejected ? .textNotMet : .text)
            sheet.number(&b, f.records)
            sheet.number(&b, f.errors)
            sheet.number(&b, f.warnings)
            sheet.text(&b, f.firstError ?? "")
            sheet.number(&b, f.line)
            sheet.text(&b, f.column ?? "")
            sheet.text(&b, f.firstMessage ?? "")
            sheet.endRow(&b)
            try ContractFiles.rowDone(&b, flush)
        }
        sheet.end(&b)
    }

    private static let trendColumns = ["级别\nLevel", "代码\nCode", "名称\nName", "指标\nIndicator", "代号\nKey"]
    private static let qualityColumns = ["省份\nProvince", "县代码\nCounty code", "县名称\nCounty", "核查\nCheck", "对象\nSubject",
                                         "数值\nValue", "参照\nReference", "方向\nFlag"]

    /// 趋势: each indicator over the run's periods up to this one, for the
    /// nation (or the scope's unit) and each province, a period per column.
    private static func trend(_ t: PeriodTables, periods: [PeriodTables], extent: (columns: Int, rows: Int), config: CompiledPlan,
                              shared: SharedStrings, _ b: inout TextBuffer, _ flush: ContractFiles.Flush) throws {
        var sheet = SheetWriter(columns: extent.columns, rows: extent.rows, frozenColumns: 3, selected: false, shared: shared)
        sheet.begin(&b, widths: [8, 9, 14, 28, 34] + periods.map { _ in 13 })
        sheet.headerRow(&b, trendColumns + periods.map(\.period))
        // Each period's units by code, looked up once.
        let byCode: [[String: PeriodTables.UnitRow]] = periods.map { p in
            Dictionary(([p.national] + p.provinces).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        }
        for unit in [t.national] + t.provinces {
            for i in config.displayedEntries {
                let entry = config.catalog.entries[i]
                let format = IndicatorFormat(entry)
                sheet.beginRow(&b)
                sheet.text(&b, unit.level == .national ? "全国" : "省级")
                sheet.text(&b, unit.code)
                sheet.text(&b, unit.name)
                sheet.text(&b, config.name(of: entry.name).zh)
                sheet.text(&b, entry.name)
                for units in byCode { sheet.value(&b, units[unit.code]?.cells[i], format: format) }
                sheet.endRow(&b)
                try ContractFiles.rowDone(&b, flush)
            }
        }
        sheet.end(&b)
    }

    /// 数据质量: quality.csv for people, with the province and county names.
    private static func quality(_ flags: [QualityFlag], extent: (columns: Int, rows: Int), registry: Registry,
                                shared: SharedStrings, _ b: inout TextBuffer, _ flush: ContractFiles.Flush) throws {
        var sheet = SheetWriter(columns: extent.columns, rows: extent.rows, frozenColumns: 0, selected: false, shared: shared)
        sheet.begin(&b, widths: [14, 11, 14, 24, 40, 12, 12, 10])
        sheet.headerRow(&b, qualityColumns)
        for f in flags {
            sheet.beginRow(&b)
            sheet.text(&b, registry.provinceName(of: f.code))
            sheet.text(&b, f.code)
            sheet.text(&b, f.name)
            sheet.text(&b, ReportQuality.checkName(f.check))
            sheet.text(&b, f.subject)
            sheet.text(&b, f.value)
            sheet.text(&b, f.reference)
            sheet.text(&b, f.high ? "偏高 high" : "偏低 low", style: .textNotMet)
            sheet.endRow(&b)
            try ContractFiles.rowDone(&b, flush)
        }
        sheet.end(&b)
    }

    /// `A`, `B`, ..., `Z`, `AA`, ...: the letters of a 0-based column.
    static func columnName(_ index: Int) -> String {
        var n = index + 1
        var letters: [UInt8] = []
        while n > 0 {
            n -= 1
            letters.append(UInt8(ascii: "A") + UInt8(n % 26))
            n /= 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }
}
