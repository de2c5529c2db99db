import CLibXML2
import Foundation
import Testing
@testable import EdupipeAggregate
@testable import EdupipeSupport
@testable import EdupipeStandard
@testable import EdupipeOutput
@testable import EdupipeRun

/// The workbook, the report and `edupipe export`, on the hand inbox whose
/// values NightlyRunTests work out by hand.
@Suite struct PeopleTablesTests {
    /// The hand inbox, plus files whose names try formula and HTML injection.
    static func inbox() -> String {
        let root = HandInbox.make()
        for name in ["=HYPERLINK(\"http:x\")_class_size_2022-autumn.csv", "+1_after_school.csv", "-2.csv", "@SUM(A1).csv",
                     "<img src=x onerror=alert(1)>.csv"] {
            Fixtures.write(Array("x\n".utf8), to: root + "/" + name)
        }
        return root
    }

    func run(jobs: Int = 2) throws -> String {
        let out = Fixtures.tempDirectory("out")
        var options = RunOptions(inbox: Self.inbox(), out: out, jobs: jobs, stateDirectory: out + "/.state",
                                 environment: ["EDUPIPE_KEY": NightlyRunTests.key])
        options.ledger = false
        _ = try NightlyRun(setup: Setup(config: Fixtures.config, registry: Fixtures.registry), options: options).execute()
        return out
    }

    /// The workbook's parts by name.
    func parts(_ path: String) throws -> [String: Data] {
        Dictionary(try ZipReader.entries(path), uniquingKeysWith: { first, _ in first })
    }

    func wellFormed(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
            guard let doc = xmlReadMemory(raw.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(raw.count), nil, nil, options) else {
                return false
            }
            xmlFreeDoc(doc)
            return true
        }
    }

    /// Cells of a sheet: reference to (style, inline text or number).
    struct SheetCell: Equatable {
        let style: Int
        let text: String?
        let number: String?
    }

    /// Cells of a sheet, shared strings resolved through `shared`.
    func cells(_ xml: String, shared: [String]) -> [String: SheetCell] {
        var found: [String: SheetCell] = [:]
        let pattern = /<c r="([A-Z]+[0-9]+)"(?: s="([0-9]+)")?(?: t="inlineStr"><is><t(?: xml:space="preserve")?>([^<]*)<\/t><\/is><\/c>| t="s"><v>([0-9]+)<\/v><\/c>|><v>([^<]*)<\/v><\/c>|\/>)/
        for m in xml.matches(of: pattern) {
            let text = m.3.map { unescaped(String($0)) } ?? m.4.map { shared[Int($0)!] }
            found[String(m.1)] = SheetCell(style: m.2.map { Int($0)! } ?? 0, text: text, number: m.5.map(String.init))
        }
        return found
    }

    /// The texts of `xl/sharedStrings.xml`, in order.
    func sharedStrings(_ parts: [String: Data]) -> [String] {
        text(parts["xl/sharedStrings.xml"]).matches(of: /<si><t>([^<]*)<\/t><\/si>/).map { unescaped(String($0.1)) }
    }

    func unescaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    func text(_ data: Data?) -> String { data.map { String(decoding: $0, as: UTF8.self) } ?? "" }

    /// The cell reference of `indicator` in `row` of a level's sheet.
    func reference(_ level: Registry.Level, _ indicator: String, row: Int) -> String {
        let layout = WideLayout(level: level, config: Fixtures.config)
        let column = layout.unitTitles.count + layout.indicators.firstIndex(of: Fixtures.config.catalog.index(of: indicator)!)!
        return Workbook.columnName(column) + String(row)
    }

    @Test func workbookPartsAreWellFormedWithTheExpectedSheets() throws {
        let out = try run()
        // ZipReader checks each entry's local header, CRC-32 and sizes.
        let entries = try ZipReader.entries(out + "/2022-autumn/indicators.xlsx")
        let expected = ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                        "xl/styles.xml", "xl/sharedStrings.xml"] + (1...8).map { "xl/worksheets/sheet\($0).xml" }
        #expect(entries.map(\.name) == expected)
        let parts = Dictionary(uniqueKeysWithValues: entries)
        for (name, data) in parts { #expect(wellFormed(data), "\(name) is not well-formed XML") }
        let workbook = text(parts["xl/workbook.xml"])
        let sheets = workbook.matches(of: /<sheet name="([^"]+)"/).map { String($0.1) }
        #expect(sheets == ["全国", "省级", "地市级", "县级", "未报送", "报送文件", "趋势", "数据质量"])
        // Frozen header and unit columns, and an autofilter, on the level sheets.
        let province = text(parts["xl/worksheets/sheet2.xml"])
        #expect(province.contains("<pane xSplit=\"2\" ySplit=\"1\" topLeftCell=\"C2\" activePane=\"bottomRight\" state=\"frozen\"/>"))
        #expect(province.contains("<autoFilter ref=\"A1:\(Workbook.columnName(29))\(Fixtures.registry.provinces.count + 1)\"/>"))
        #expect(text(parts["xl/styles.xml"]).contains("<numFmt numFmtId=\"164\" formatCode=\"0.0%\"/>"))
    }

    @Test func valuesAreNumericCellsStyledByStatus() throws {
        let out = try run()
        let parts = try parts(out + "/2022-autumn/indicators.xlsx")
        let provinces = cells(text(parts["xl/worksheets/sheet2.xml"]), shared: sharedStrings(parts))
        let hubei = Fixtures.registry.provinces.firstIndex(of: "420000")! + 2
        let beijing = Fixtures.registry.provinces.firstIndex(of: "110000")! + 2
        #expect(provinces["A\(hubei)"] == SheetCell(style: 0, text: "420000", number: nil))
        #expect(provinces["B\(hubei)"] == SheetCell(style: 0, text: "湖北省", number: nil))
        // Hubei: 3 of 4 schools offer the service (target >=1: missed, percent, highlighted).
        let percentNotMet = WorkbookStyles.Style.percentNotMet.rawValue
        #expect(provinces[reference(.province, "after_school.school_coverage", row: hubei)] == SheetCell(style: percentNotMet, text: nil, number: "0.75"))
        // 280 of 650 pupils take part: no target, plain percent.
        #expect(provinces[reference(.province, "after_school.student_participation", row: hubei)] == SheetCell(style: WorkbookStyles.Style.percent.rawValue, text: nil, number: "0.430769"))
        // Two children still out: a count that misses <=0.
        #expect(provinces[reference(.province, "dropout.outstanding", row: hubei)] == SheetCell(style: WorkbookStyles.Style.countNotMet.rawValue, text: nil, number: "2"))
        // Primary classes 40, 60, 46: one large class of three (> 5%); no super-large one (met).
        #expect(provinces[reference(.province, "class_size.large_share.primary", row: hubei)] == SheetCell(style: percentNotMet, text: nil, number: "0.333333"))
        #expect(provinces[reference(.province, "class_size.super_large_share.primary", row: hubei)] == SheetCell(style: WorkbookStyles.Style.percent.rawValue, text: nil, number: "0"))
        #expect(provinces[reference(.province, "class_size.avg_size.primary", row: hubei)] == SheetCell(style: WorkbookStyles.Style.decimal.rawValue, text: nil, number: "48.666667"))
        // Beijing has no class-size file for the period: a grey empty cell.
        #expect(provinces[reference(.province, "class_size.large_share.all", row: beijing)] == SheetCell(style: WorkbookStyles.Style.noData.rawValue, text: nil, number: nil))

        // The county sheet has no cross-county duplicates column, and names the parents.
        let layout = WideLayout(level: .county, config: Fixtures.config)
        #expect(!layout.indicators.contains(Fixtures.config.catalog.index(of: "dropout.cross_county_duplicates")!))
        let counties = cells(text(parts["xl/worksheets/sheet4.xml"]), shared: sharedStrings(parts))
        let xiantao = Fixtures.registry.counties.firstIndex(of: "429004")! + 2
        #expect(counties["C\(xiantao)"]?.text == "湖北省")
        #expect(counties["D\(xiantao)"] == nil, "仙桃 sits directly under the province")
        #expect(counties[reference(.county, "after_school.five_two_compliance", row: xiantao)] == SheetCell(style: percentNotMet, text: nil, number: "0"))
    }

    @Test func notReportedAndFilesSheets() throws {
        let out = try run()
        let parts = try parts(out + "/2022-autumn/indicators.xlsx")
        let missing = text(parts["xl/worksheets/sheet5.xml"])
        // 2,854 counties; after_school reported by 4, dropout by 4, class_size by 2 (420103 rejected).
        let rows = missing.matches(of: /<row r="/).count - 1
        #expect(rows == (2854 - 4) + (2854 - 4) + (2854 - 2))
        #expect(!missing.contains(">420102<"))
        #expect(missing.contains(">420103<"), "420103's class-size files were both rejected")

        let files = cells(text(parts["xl/worksheets/sheet6.xml"]), shared: sharedStrings(parts))
        let paths = files.filter { $0.key.hasPrefix("A") && $0.key != "A1" }.compactMap(\.value.text).sorted()
        // The period's 15 files and the 6 whose names do not parse; not the 2023-spring one.
        #expect(paths.count == 15 + 6)
        #expect(!paths.contains("beijing/110101_class_size_2023-spring.csv"))
        let r3 = try #require(files.first { $0.value.text == "hubei/420102_class_size_2022-autumn_r3.csv" })
        let row = r3.key.dropFirst()
        #expect(files["F\(row)"]?.text == "退回 rejected")
        #expect(files["J\(row)"]?.text == "E_RANGE")
        #expect(files["K\(row)"]?.number == "2")
        #expect(files["L\(row)"]?.text == "grade")
        #expect(files["M\(row)"]?.text?.hasPrefix("grade 7 is not a primary grade") == true)
    }

    @Test func textThatLooksLikeAFormulaIsNeutralised() throws {
        let out = try run()
        let parts = try parts(out + "/2022-autumn/indicators.xlsx")
        let files = cells(text(parts["xl/worksheets/sheet6.xml"]), shared: sharedStrings(parts))
        let texts = Set(files.values.compactMap(\.text))
        for name in ["'=HYPERLINK(\"http:x\")_class_size_2022-autumn.csv", "'+1_after_school.csv", "'-2.csv", "'@SUM(A1).csv"] {
            let listed = texts.contains(name)
            #expect(listed, "\(name)")
        }
        for (name, data) in parts where name.hasPrefix("xl/worksheets/") {
            for (ref, cell) in cells(text(data), shared: sharedStrings(parts)) {
                if let t = cell.text, let first = t.first { #expect(!"=+-@".contains(first), "\(name) \(ref): \(t)") }
            }
        }
        #expect(FormulaGuard.neutralised("=1+2") == "'=1+2")
        #expect(FormulaGuard.neutralised("\tx") == "'\tx")
        #expect(FormulaGuard.neutralised("110101") == "110101")
        #expect(FormulaGuard.neutralised("") == "")
    }

    /// The report's province tables: (code, indicator) to status class.
    func reportStatuses(_ html: String) -> [String: String] {
        var found: [String: String] = [:]
        for table in html.matches(of: /<table class="matrix"[\s\S]*?<\/table>/) {
            let block = String(table.0)
            let head = block[..<block.range(of: "</thead>")!.lowerBound]
            let indicators = head.matches(of: /data-indicator="([^"]+)"/).map { String($0.1) }
            for row in block.matches(of: /<tr(?: class="nation")? data-code="([0-9]+)">([\s\S]*?)<\/tr>/) {
                let statuses = row.2.matches(of: /<td class="num s-([a-z_]+)">/).map { String($0.1) }
                #expect(statuses.count == indicators.count)
                for (i, s) in zip(indicators, statuses) { found[String(row.1) + " " + i] = s }
            }
        }
        return found
    }

    @Test func reportHoldsEveryProvinceWithTheRightMarkers() throws {
        let out = try run()
        let html = try String(contentsOfFile: out + "/2022-autumn/report.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">"))
        // Self-contained: nothing fetched, nothing run.
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url("))
        let statuses = reportStatuses(html)
        for code in Fixtures.registry.provinces + ["000000"] {
            for entry in Fixtures.config.catalog.entries {
                #expect(statuses[code + " " + entry.name] != nil, "\(code) \(entry.name) missing from the report")
            }
        }
        // Hand-computed (NightlyRunTests): Hubei misses coverage (3/4), 5+2 (1/3),
        // funding (2/3), outstanding (2), resolution (1/3), zero counties (1/3),
        // primary large classes (1/3), senior and all super-large (1/1, 1/5);
        // it meets junior large (0/1) and primary super-large (0/3).
        for i in ["after_school.school_coverage", "after_school.five_two_compliance", "after_school.funding_secured",
                  "dropout.outstanding", "dropout.resolution_rate", "dropout.zero_counties",
                  "class_size.large_share.primary", "class_size.super_large_share.senior", "class_size.super_large_share.all"] {
            #expect(statuses["420000 " + i] == "not_met", "\(i)")
        }
        for i in ["class_size.large_share.junior", "class_size.super_large_share.primary", "class_size.large_share.senior"] {
            #expect(statuses["420000 " + i] == "met", "\(i)")
        }
        #expect(statuses["420000 after_school.student_participation"] == "no_target")
        // Beijing: one school, offering, 5+2 and funded; one child, returned.
        for i in ["after_school.school_coverage", "after_school.five_two_compliance", "after_school.funding_secured",
                  "dropout.outstanding", "dropout.resolution_rate", "dropout.zero_counties"] {
            #expect(statuses["110000 " + i] == "met", "\(i)")
        }
        #expect(statuses["110000 class_size.large_share.all"] == "no_data")
        #expect(statuses["120000 after_school.school_coverage"] == "no_data")
        // Every not-met cell carries the mark, and only those.
        #expect(html.matches(of: /<td class="num s-not_met">[^<]*<span class="mark"> ✗<\/span><\/td>/).count
                == html.matches(of: /<td class="num s-not_met">/).count)
        #expect(!html.contains("s-met\">75.0%"))
        #expect(html.contains("<td class=\"num s-not_met\">75.0%<span class=\"mark\"> ✗</span></td>"))

        // Charts of the key indicators, rejected files with their first error, escaped.
        #expect(html.matches(of: /<svg class="chart"/).count == Fixtures.config.catalog.charted.count)
        #expect(html.contains("<tr><td class=\"file\">hubei/420102_class_size_2022-autumn_r3.csv</td><td>江岸区 420102</td><td class=\"code\">E_RANGE</td><td>行 line 2, 列 column grade</td><td>grade 7 is not a primary grade: primary classes are grades 1-6</td></tr>"))
        #expect(html.contains("<td class=\"code\">E_REVISION_CONFLICT</td><td></td><td>hubei/420103_class_size_2022-autumn.csv.gz is also revision 1"))
        #expect(html.matches(of: /<tr><td class="file">/).count == 3 + 6, "three rejected files of the period and six unparsed names")
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;.csv"))
        #expect(!html.contains("<img"))
        #expect(html.contains("<h3 data-dataset=\"class_size\" data-count=\"2852\">"))
    }

    @Test func reportStatusesAgreeWithIndicatorsCSV() throws {
        let out = try run()
        let html = try String(contentsOfFile: out + "/2022-autumn/report.html", encoding: .utf8)
        let statuses = reportStatuses(html)
        let csv = try String(contentsOfFile: out + "/2022-autumn/indicators.csv", encoding: .utf8)
        var compared = 0
        for line in csv.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f[1] == "province" || f[1] == "national" else { continue }
            #expect(statuses["\(f[2]) \(f[4])"] == String(f[9]), "\(f[2]) \(f[4])")
            compared += 1
        }
        #expect(compared == (Fixtures.registry.provinces.count + 1) * Fixtures.config.catalog.entries.count)
    }

    @Test func sameBytesWhateverTheThreadCount() throws {
        let one = try run(jobs: 1), two = try run(jobs: 2)
        for name in ["indicators.xlsx", "report.html", "indicators.json"] {
            let a = FileManager.default.contents(atPath: one + "/2022-autumn/" + name)
            #expect(a != nil && a == FileManager.default.contents(atPath: two + "/2022-autumn/" + name), "\(name)")
        }
    }

    @Test func aWorkbookThatCannotBeWrittenFailsTheRun() throws {
        let out = Fixtures.tempDirectory("out")
        // A folder where the workbook goes: its rename must fail.
        try FileManager.default.createDirectory(atPath: out + "/2022-autumn/indicators.xlsx", withIntermediateDirectories: true)
        let options = RunOptions(inbox: HandInbox.make(), out: out, jobs: 2, stateDirectory: out + "/.state",
                                 environment: ["EDUPIPE_KEY": NightlyRunTests.key])
        let error = #expect(throws: EdupipeError.self) {
            try NightlyRun(setup: Setup(config: Fixtures.config, registry: Fixtures.registry), options: options).execute()
        }
        #expect(error?.description.contains("indicators.xlsx") == true)
        // The ledger says so, and nothing half-written is left behind.
        let run = try #require(try Ledger(directory: out + "/.state").runs(limit: 1).first)
        #expect(run.outcome == "failed")
        #expect(run.message?.contains("indicators.xlsx") == true)
        let left = try FileManager.default.contentsOfDirectory(atPath: out + "/2022-autumn")
        #expect(!left.contains { $0.hasPrefix(AtomicFile.temporaryMarker) }, "\(left)")
        #expect(FileManager.default.fileExists(atPath: out + "/2022-autumn/indicators.csv"))
    }

    @Test func exportRebuildsTheSameFilesFromTheOutputs() throws {
        let out = try run()
        let setup = Setup(config: Fixtures.config, registry: Fixtures.registry)
        let to = Fixtures.tempDirectory("export")
        let written = try Export.run(Export.Options(out: out, periods: [], formats: Export.Format.allCases, to: to), setup: setup)
        #expect(written.count == 2 * (3 + WideCSV.names.count))
        for period in ["2022-autumn", "2023-spring"] {
            for name in ["indicators.xlsx", "report.html", "indicators.json"] {
                let built = FileManager.default.contents(atPath: out + "/" + period + "/" + name)
                #expect(built != nil && built == FileManager.default.contents(atPath: to + "/" + period + "/" + name), "\(period) \(name)")
            }
        }
        // The wide CSV: a row per province, the digits of indicators.csv.
        let bytes = try #require(FileManager.default.contents(atPath: to + "/2022-autumn/indicators-province.csv"))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "a byte-order mark, for spreadsheet programs")
        let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == Fixtures.registry.provinces.count + 1)
        #expect(lines[0].hasPrefix("代码 Code,名称 Name,课后服务报送率 After-school reporting rate 目标 target ≥100%,"))
        #expect(lines.contains { $0.hasPrefix("420000,湖北省,0.029126,0.750000,0.430769,0.333333,0.666667,") })

        // Only the inbox's outputs are read: the inbox may be gone.
        #expect(throws: EdupipeError.self) {
            try Export.run(Export.Options(out: out, periods: ["2024-spring"], formats: [.xlsx]), setup: setup)
        }
        #expect(throws: EdupipeError.self) {
            try Export.run(Export.Options(out: Fixtures.tempDirectory("empty"), formats: [.xlsx]), setup: setup)
        }
    }

    @Test func exportRefusesAnotherRegistry() throws {
        let out = try run()
        let small = try Registry.parse(Array("""
            code,name,level,parent_code
            420000,湖北省,province,
            420100,武汉市,prefecture,420000
            420102,江岸区,county,420100

            """.utf8), source: "small.csv")
        let error = #expect(throws: EdupipeError.self) {
            try Export.run(Export.Options(out: out, periods: ["2022-autumn"], formats: [.html]),
                           setup: Setup(config: Fixtures.config, registry: small))
        }
        #expect(error?.description.contains("was made with another registry") == true)
    }

    @Test func formatsForPeople() {
        let share = IndicatorFormat.percent
        #expect(share.text(PeriodTables.Cell(numerator: 1, denominator: 8, status: .met)) == "12.5%")
        #expect(share.text(PeriodTables.Cell(numerator: 2, denominator: 3, status: .notMet)) == "66.7%")
        #expect(share.text(PeriodTables.Cell(numerator: 1, denominator: 2000, status: .notMet)) == "0.1%")
        #expect(share.text(PeriodTables.Cell(numerator: 0, denominator: 0, status: .noData)) == nil)
        #expect(IndicatorFormat.decimal.text(PeriodTables.Cell(numerator: 1655, denominator: 34, status: .noTarget)) == "48.7")
        #expect(IndicatorFormat.count.text(PeriodTables.Cell(numerator: 1234567, denominator: nil, status: .notMet)) == "1,234,567")
        #expect(share.text(Target.parse(">=1")!) == "≥100%")
        #expect(share.text(Target.parse("<=0.05")!) == "≤5%")
        #expect(share.text(Target.parse("<=0.125")!) == "≤12.5%")
        #expect(IndicatorFormat.count.text(Target.parse("<=0")!) == "≤0")
        #expect(Workbook.columnName(0) == "A")
        #expect(Workbook.columnName(25) == "Z")
        #expect(Workbook.columnName(26) == "AA")
        #expect(Workbook.columnName(701) == "ZZ")
        #expect(Workbook.columnName(702) == "AAA")
    }

    @Test func markupEscapesAndReplacesWhatXMLCannotHold() {
        var b = TextBuffer()
        b.markup("a<b>&\"c\"'d'\u{1}\u{FFFE}\t中")
        #expect(String(decoding: b.bytes, as: UTF8.self) == "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;\u{FFFD}\u{FFFD}\t中")
    }

    @Test func displayNamesComeFromThePlan() throws {
        let config = Fixtures.config
        #expect(config.name(of: "after_school.school_coverage") == DisplayName(zh: "课后服务覆盖率", en: "Schools offering the service"))
        #expect(config.name(of: .classSize) == DisplayName(zh: "大班额", en: "Class size"))
        #expect(config.displayedEntries.count == config.catalog.entries.count)
        #expect(config.catalog.entries[config.displayedEntries[0]].name == "after_school.reporting_rate")
        #expect(config.catalog.entries[config.displayedEntries[5]].name == "dropout.reporting_rate")
        // A name the plan does not have reads as itself.
        #expect(config.name(of: "dropout.nothing") == DisplayName(zh: "dropout.nothing", en: "dropout.nothing"))
    }
}
