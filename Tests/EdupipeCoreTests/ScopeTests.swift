import Foundation
import Testing
@testable import EdupipeAggregate
@testable import EdupipeRun

/// `--scope`: a province's or prefecture's own night.
@Suite struct ScopeTests {
    func run(scope: String) throws -> (NightlyRun.Result, String, Registry) {
        let out = Fixtures.tempDirectory("scoped")
        let registry = try Fixtures.registry.scoped(to: scope)
        let setup = Setup(config: Fixtures.config, registry: registry)
        let options = RunOptions(inbox: HandInbox.make(), out: out, jobs: 2, stateDirectory: out + "/.state",
                                 environment: ["EDUPIPE_KEY": NightlyRunTests.key])
        return (try NightlyRun(setup: setup, options: options).execute(), out, registry)
    }

    @Test func scopeCodesAndRefusals() throws {
        #expect(try Fixtures.registry.scoped(to: "42").scope == "420000")
        #expect(try Fixtures.registry.scoped(to: "4201").scope == "420100")
        #expect(try Fixtures.registry.scoped(to: "420100").counties.count == 13)
        #expect(try Fixtures.registry.scoped(to: "000000").scope == nil)
        #expect(failure { try Fixtures.registry.scoped(to: "420102") }?.code == .invalidArgument)
        #expect(failure { try Fixtures.registry.scoped(to: "990000") }?.code == .invalidArgument)
        #expect(try Fixtures.registry.scoped(to: "420102", allowCounty: true).counties == ["420102"])
        let hubei = try Fixtures.registry.scoped(to: "42")
        #expect(hubei.counties.count == 103 && hubei.provinces == ["420000"])
        #expect(hubei.counties.contains("429004"))  // directly under the province
        #expect(hubei.scopeExcluding("110101") == "湖北省 420000")
        #expect(hubei.scopeExcluding("420102") == nil)
    }

    /// Hubei's night over the hand inbox: the same Hubei numbers as the
    /// national run (see NightlyRunTests), Hubei on top, no national row,
    /// no other province, and Beijing's files refused with their own code.
    @Test func aProvinceRunsItsOwnNight() throws {
        let (result, out, _) = try run(scope: "42")
        let t = try #require(result.tables.first { $0.period == "2022-autumn" })
        func cell(_ l: Registry.Level, _ c: String, _ i: String) -> Cell? { t.row(l, c, "after_school." + i).map(Cell.init) }
        #expect(t.rows.first?.code == "420000")
        #expect(!t.rows.contains { $0.level == .national })
        #expect(t.rows.allSatisfy { $0.code.hasPrefix("42") })
        #expect(cell(.province, "420000", "reporting_rate") == Cell(3, 103, "0.029126", "not_met"))
        #expect(cell(.province, "420000", "school_coverage") == Cell(3, 4, "0.750000", "not_met"))
        #expect(cell(.province, "420000", "student_participation") == Cell(280, 650, "0.430769", "no_target"))
        #expect(cell(.prefecture, "420100", "reporting_rate") == Cell(2, 13, "0.153846", "not_met"))
        #expect(cell(.county, "429004", "reporting_rate") == Cell(1, 1, "1.000000", "met"))
        // Beijing's files: rejected, out of scope.
        let beijing = result.submissions.filter { $0.path.hasPrefix("beijing/110101_") && $0.name != nil }
        #expect(!beijing.isEmpty && beijing.allSatisfy { $0.status == .rejected && $0.firstError == .outOfScope })
        let errors = try String(contentsOfFile: out + "/errors.csv", encoding: .utf8)
        #expect(errors.contains("beijing/110101_after_school_2022-autumn.csv,,,E_OUT_OF_SCOPE,"))
        let csv = try String(contentsOfFile: out + "/2022-autumn/indicators.csv", encoding: .utf8)
        #expect(!csv.contains(",000000,") && !csv.contains(",110000,"))
        let report = try String(contentsOfFile: out + "/2022-autumn/report.html", encoding: .utf8)
        #expect(report.contains("湖北省主要指标"))
        let run = try String(contentsOfFile: out + "/run.json", encoding: .utf8)
        #expect(run.contains("\"scope\":\"420000\""))
        #expect(FinishedRun.planPaths(out: out).scope == "420000")
        // Who has reported: Hubei only.
        #expect(result.reporting.first?.provinces.map(\.province) == ["420000", "420000", "420000"])
        #expect(result.reporting.first?.provinces.first { $0.dataset.rawValue == "after_school" }?.reporting == 3)
    }

    /// `export` of a scoped run, with the scope run.json recorded: the
    /// workbook and report cover Hubei, with no national sheet rows.
    @Test func aScopedRunExportsItsOwnTables() throws {
        let (_, out, registry) = try run(scope: "42")
        let to = Fixtures.tempDirectory("scoped-export")
        let setup = Setup(config: Fixtures.config, registry: registry)
        let written = try Export.run(.init(out: out, periods: ["2022-autumn"], formats: [.html, .csv], to: to), setup: setup)
        #expect(written.contains { $0.hasSuffix("report.html") })
        let report = try String(contentsOfFile: to + "/2022-autumn/report.html", encoding: .utf8)
        #expect(report.contains("湖北省主要指标") && !report.contains("全国主要指标"))
        let province = try String(contentsOfFile: to + "/2022-autumn/indicators-province.csv", encoding: .utf8)
        #expect(province.contains("\n420000,") && !province.contains("110000") && !province.contains("440000"))
        let national = try String(contentsOfFile: to + "/2022-autumn/indicators-national.csv", encoding: .utf8)
        #expect(!national.contains("000000") && !national.contains("全国"))
    }

    /// A prefecture's night: 武汉 on top, its 13 counties, 仙桃 (under the
    /// province) refused.
    @Test func aPrefectureRunsItsOwnNight() throws {
        let (result, _, _) = try run(scope: "420100")
        let t = try #require(result.tables.first { $0.period == "2022-autumn" })
        #expect(t.rows.first?.code == "420100")
        #expect(!t.rows.contains { $0.level == .national || $0.level == .province })
        #expect(t.row(.prefecture, "420100", "after_school.reporting_rate").map(Cell.init) == Cell(2, 13, "0.153846", "not_met"))
        #expect(t.row(.prefecture, "420100", "after_school.school_coverage").map(Cell.init) == Cell(2, 3, "0.666667", "not_met"))
        #expect(Set(t.rows.filter { $0.level == .county }.map(\.code)).count == 13)
        let xiantao = result.submissions.filter { $0.path.contains("429004_") }
        #expect(!xiantao.isEmpty && xiantao.allSatisfy { $0.firstError == .outOfScope })
        let status = try #require(result.reporting.first)
        #expect(Set(status.provinces.map(\.province)) == ["420000"])
        #expect(status.provinces.allSatisfy { $0.expected == 13 })
    }
}
