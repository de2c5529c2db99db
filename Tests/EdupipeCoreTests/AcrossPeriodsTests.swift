import Foundation
import Testing

/// Trends for people (issue "Across periods"): the report's previous-period
/// column, arrows and charts, its quality section, and the workbook's 趋势
/// and 数据质量 sheets, on a hand inbox of two periods.
@Suite struct AcrossPeriodsTests {
    static let county = Fixtures.registry.counties.first { $0.hasPrefix("42") }!

    static func run() throws -> String {
        let c = county
        return try QualityTests.run([
            // Participation 50% then 80%: up 30 points; schools 1 → 2 is flagged over time.
            "\(c)_after_school_2022-autumn.csv": QualityTests.afterSchool(c, [(100, 50)]),
            "\(c)_after_school_2023-spring.csv": QualityTests.afterSchool(c, [(100, 80), (100, 80)]),
        ])
    }

    @Test func theReportShowsThePreviousPeriodAndTheFlags() throws {
        let out = try Self.run()
        let html = QualityTests.read(out + "/2023-spring/report.html")
        // The national row of student participation: 80.0%, previous 50.0%, up 30.0 points.
        let row = try #require(html.components(separatedBy: "<tr data-indicator=\"after_school.student_participation\">").dropFirst().first)
        let cells = row.components(separatedBy: "</tr>")[0]
        #expect(cells.contains(">80.0%<"))
        #expect(cells.contains("<td class=\"num prev\">50.0%</td>"))
        #expect(cells.contains("<span class=\"trend tup\">↑</span> +30.0 pp"))
        // The first period has nothing before it.
        let first = QualityTests.read(out + "/2022-autumn/report.html")
        #expect(first.contains("<th class=\"num\">上期 Previous</th>"))
        #expect(!first.contains("class=\"trend t"))
        // Trends over both periods, as small charts.
        #expect(html.contains("<section id=\"trends\">") && html.contains("<svg class=\"chart trend\""))
        #expect(html.contains(">2022-autumn</text>") && html.contains(">2023-spring</text>"))
        // The quality section lists the county's flag.
        let quality = try #require(html.components(separatedBy: "<section id=\"quality\">").dropFirst().first)
        #expect(quality.contains(Fixtures.registry.units[Self.county]!.name + " " + Self.county))
        #expect(quality.contains("after_school.schools"))
        #expect(quality.contains("偏高 high"))
    }

    @Test func theWorkbookHasTrendAndQualitySheets() throws {
        let out = try Self.run()
        let parts = Dictionary(try ZipReader.entries(out + "/2023-spring/indicators.xlsx"), uniquingKeysWith: { a, _ in a })
        let workbook = String(decoding: parts["xl/workbook.xml"] ?? Data(), as: UTF8.self)
        #expect(workbook.contains("<sheet name=\"趋势\"") && workbook.contains("<sheet name=\"数据质量\""))
        let shared = String(decoding: parts["xl/sharedStrings.xml"] ?? Data(), as: UTF8.self)
        let trend = String(decoding: parts["xl/worksheets/sheet7.xml"] ?? Data(), as: UTF8.self)
        // A column per period of the run up to this one.
        #expect(shared.contains("2022-autumn") || trend.contains("2022-autumn"))
        let quality = String(decoding: parts["xl/worksheets/sheet8.xml"] ?? Data(), as: UTF8.self)
        #expect(quality.contains("<autoFilter"))
        // The header and two flags: schools 1 → 2, enrolled 100 → 200.
        #expect(quality.components(separatedBy: "<row ").count - 1 == 3)
    }
}
