import Foundation
import Testing
@testable import EdupipeStandard
@testable import EdupipeOutput

/// Plans as data: each kind of declaration with a tiny plan, each way a plan
/// can be wrong (with its line and column), the 2022 plan's thresholds on
/// both sides, and a threshold moved in a copy of the plan.
@Suite struct PlanTests {
    /// The shipped plan's type messages, under a tiny plan's datasets.
    static let messages: String = {
        let text = try! String(contentsOfFile: Fixtures.packageRoot + "/pipelines/basic-education-2022.yaml", encoding: .utf8)
        let start = text.range(of: "\nmessages:\n")!.lowerBound
        let end = text.range(of: "\ndatasets:\n")!.lowerBound
        return String(text[start..<end]) + "\n"
    }()

    /// `text` re-indented so its least indented line starts at `by` spaces.
    static func indent(_ text: String, _ by: Int) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let least = lines.filter { !$0.allSatisfy { $0 == " " } }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { $0.allSatisfy { $0 == " " } ? "" : String(repeating: " ", count: by) + $0.dropFirst(least) }.joined(separator: "\n")
    }

    /// A plan with one dataset `visits` (one record per school); `extra` and
    /// `indicators` are keys of the dataset, in any indentation.
    static func plan(fields: String, extra: String = "", indicators: String = "") -> String {
        let extra = indent(extra, 4)
        let indicators = indent(indicators, 4)
        return """
        plan: tiny
        \(messages)
        datasets:
          - name: visits
            zh: 访问
            en: Visits
            record: {zh: 学校, en: school}
            fields:
        \(fields)
        \(extra)
        \(indicators)
        """
    }

    static let fields = """
              - {name: county_code, type: county_code}
              - {name: school_id, type: school_id}
              - {name: stage, type: enum, words: [primary, junior]}
              - {name: pupils, type: integer, range: 0..100}
              - {name: open, type: boolean}
              - {name: opened_on, type: date, required: false}
        """

    func error(_ yaml: String) -> String {
        do {
            _ = try CompiledPlan.parse(yaml, source: "p.yaml")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func validate(_ config: CompiledPlan, _ name: String, _ text: String) -> FileReport {
        let dir = Fixtures.tempDirectory("plan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Fixtures.write(Array(text.utf8), to: dir + "/" + name)
        return SubmissionValidator(registry: Fixtures.registry, config: config).validate(path: dir + "/" + name, displayPath: name)
    }

    // MARK: declarations

    @Test func fieldsRulesAndKeysOfATinyPlanAreChecked() throws {
        let config = try CompiledPlan.parse(Self.plan(fields: Self.fields, extra: """
                key: [school_id]
                key_message: {en: "school {school_id} again (line {first})", zh: "学校 {school_id} 重复（第 {first} 行）"}
                rules:
                  - when: not open
                    check: pupils = 0
                    en: "pupils {pupils} at a closed school"
                    zh: "关闭的学校有 {pupils} 名学生"
                  - when: open
                    check: opened_on is given
                    code: E_REQUIRED
                    column: opened_on
                    en: "an open school needs opened_on"
                    zh: "开放的学校要填 opened_on"
        """), source: "p.yaml")
        let header = "county_code,school_id,stage,pupils,open,opened_on\n"
        let good = validate(config, "110101_visits_2023-autumn.csv", header + "110101,1101010001,primary,10,1,2023-09-01\n110101,1101010002,junior,0,0,\n")
        #expect(good.isValid && good.records == 2)
        let bad = validate(config, "110101_visits_2023-autumn.csv", header + """
            110101,1101010001,middle,10,1,2023-09-01
            110101,1101010002,junior,5,0,
            110101,1101010003,junior,101,1,
            110101,1101010001,primary,1,1,2023-02-30

            """)
        #expect(bad.log.all.map { Triple($0.code.rawValue, $0.line, $0.column) } == [
            Triple("E_ENUM", 2, "stage"), Triple("E_RULE", 3, "pupils"), Triple("E_RANGE", 4, "pupils"),
            Triple("E_REQUIRED", 4, "opened_on"), Triple("E_TYPE", 5, "opened_on"), Triple("E_DUPLICATE_KEY", 5, "school_id"),
        ])
        #expect(bad.log.all[1].message == "pupils 5 at a closed school")
        #expect(bad.log.all[5].message == "school 1101010001 again (line 2)")
        var zh = config
        zh.language = .zh
        #expect(validate(zh, "110101_visits_2023-autumn.csv", header + "110101,1101010002,junior,5,0,\n").log.all.first?.message == "关闭的学校有 5 名学生")
        // A file name with a dataset the plan lacks does not parse.
        #expect(validate(config, "110101_class_size_2023-autumn.csv", header).log.firstError == .filename)
    }

    @Test func measuresCountSumAndSplitByAWord() throws {
        let config = try CompiledPlan.parse(Self.plan(fields: Self.fields, extra: """
                constants:
                  - {name: big, by: stage, values: {primary: 40, junior: 50}}
                measures:
                  - {name: schools, count: all, by: stage}
                  - {name: pupils, sum: pupils, where: open}
                  - {name: large, count: pupils > big, by: stage}
                  - {name: mid, count: pupils >= 20 and pupils <= 45}
        """), source: "p.yaml")
        let r = validate(config, "110101_visits_2023-autumn.csv", """
            county_code,school_id,stage,pupils,open,opened_on
            110101,1101010001,primary,41,1,
            110101,1101010002,junior,41,0,
            110101,1101010003,junior,51,1,
            110101,1101010004,primary,40,1,

            """)
        // schools: primary, junior, no word; pupils; large by stage; mid.
        #expect(r.totals?.values == [2, 2, 0, 41 + 51 + 40, 1, 1, 0, 3])
    }

    @Test func indicatorsAndTargetsByLevelPeriodAndProvince() throws {
        let config = try CompiledPlan.parse(Self.plan(fields: Self.fields, extra: """
                measures:
                  - {name: schools, count: all}
                  - {name: open, count: open}
                  - {name: pupils, sum: pupils}
        """, indicators: """
                indicators:
                  - {name: reporting_rate, zh: 报送率, en: Reporting, reporting_rate: true, target: ">=1"}
                  - name: open_share
                    zh: 开放率
                    en: Open
                    numerator: open
                    denominator: schools
                    target: {default: ">=0.90", county: ">=0.5", periods: {2024-spring: ">=0.6"}, provinces: {"420000": null}}
                  - {name: pupils, zh: 学生数, en: Pupils, count: pupils}
                  - {name: none_closed, zh: 无关闭, en: None closed, counties_with_zero: schools}
        """), source: "p.yaml")
        let e = config.catalog.entries
        #expect(e.map(\.name) == ["visits.none_closed", "visits.open_share", "visits.pupils", "visits.reporting_rate"])
        let rule = e[1].target
        #expect(rule.target(level: "national", period: "2023-autumn", province: nil)?.text == ">=0.9")
        #expect(rule.target(level: "county", period: "2023-autumn", province: "110000")?.text == ">=0.5")
        #expect(rule.target(level: "county", period: "2024-spring", province: "110000")?.text == ">=0.6")
        #expect(rule.target(level: "province", period: "2023-autumn", province: "420000") == nil)
        #expect(e[2].isCount && e[3].isReportingRate && config.catalog.displayOrder == [3, 1, 2, 0])
    }

    // MARK: mistakes, with their place

    @Test func aPlanThatIsWrongSaysWhereAndWhat() {
        let f = Self.fields
        // A field that does not exist: line and column of the word.
        let unknown = error(Self.plan(fields: f, extra: "        measures:\n          - {name: m, count: opened and open}\n"))
        #expect(unknown.contains("no field opened in this dataset"))
        #expect(unknown.hasPrefix("p.yaml:\(lineOf("count: opened", in: Self.plan(fields: f, extra: "        measures:\n          - {name: m, count: opened and open}\n"))):"))
        // A date compared with an integer.
        let yaml = Self.plan(fields: f, extra: "        rules:\n          - {check: opened_on > pupils, en: x, zh: x}\n")
        let mismatch = error(yaml)
        #expect(mismatch.contains("opened_on is of type date and pupils of type integer: only values of one type compare"))
        let line = lineOf("opened_on > pupils", in: yaml)
        let column = columnOf("pupils, en", in: yaml)
        #expect(mismatch.hasPrefix("p.yaml:\(line):\(column):"))
        // An enumeration word never declared.
        #expect(error(Self.plan(fields: f, extra: "        measures:\n          - {name: m, count: stage = senior}\n"))
            .contains("\"senior\" is not one of the words of stage (primary, junior)"))
        // A measure that does not exist, and a variant that does not.
        #expect(error(Self.plan(fields: f, extra: "        measures:\n          - {name: m, count: all}\n",
                                indicators: "        indicators:\n          - {name: i, zh: i, en: i, count: n}\n"))
            .contains("no measure n in visits; its measures are m"))
        #expect(error(Self.plan(fields: f, extra: "        measures:\n          - {name: m, count: all, by: stage}\n",
                                indicators: "        indicators:\n          - {name: i, zh: i, en: i, count: m.senior}\n"))
            .contains("senior is not a variant of m (primary, junior, all)"))
        // A target on nothing.
        #expect(error(Self.plan(fields: f) + "\ntargets:\n  visits.nothing: \">=1\"\n").contains("a target on nothing: the plan has no indicator visits.nothing"))
        // A field's condition may name only the fields before it.
        #expect(error(Self.plan(fields: f.replacingOccurrences(of: "{name: stage, type: enum, words: [primary, junior]}",
                                                                 with: "{name: stage, type: enum, words: [primary, junior], required: false, required_when: {when: open, en: x, zh: x}}")))
            .contains("open comes after the field this condition belongs to"))
        // A placeholder that names nothing.
        #expect(error(Self.plan(fields: f, extra: "        rules:\n          - {check: open, en: \"{nope}\", zh: x}\n")).contains("{nope} names nothing"))
        // Unknown keys, types, and a linked field that is not a resident ID.
        #expect(error(Self.plan(fields: f, extra: "        colour: red\n")).contains("datasets.visits.colour: unknown key"))
        #expect(error(Self.plan(fields: f + "\n      - {name: x, type: float}")).contains("unknown type float"))
        #expect(error(Self.plan(fields: f, extra: "        link: school_id\n")).contains("a linked field is a required resident_id field"))
        // Limits keep their bounds; YAML syntax errors have their place.
        #expect(error("plan: x\nlimits:\n  max_decompressed_bytes: lots\n").hasPrefix("p.yaml:3:27: limits.max_decompressed_bytes"))
        #expect(error("plan: [x\n").contains("not valid YAML"))
    }

    /// The indicator kinds are a table: none, two, or a kind switched off
    /// is refused where it is written, never taken as another kind.
    @Test func anIndicatorOfNoKindOrTwoIsRefusedWhereItIsWritten() {
        let f = Self.fields
        let measures = "        measures:\n          - {name: m, count: all}\n"
        func plan(_ indicator: String) -> String {
            Self.plan(fields: f, extra: measures, indicators: "        indicators:\n          - \(indicator)\n")
        }
        let none = plan("{name: i, zh: i, en: i, chart: true}")
        let noKind = error(none)
        #expect(noKind.hasPrefix("p.yaml:\(lineOf("{name: i, zh: i", in: none)):\(columnOf("{name: i", in: none)):"))
        #expect(noKind.contains("an indicator is one of: reporting_rate: true, numerator: + denominator:, count:"))
        let two = plan("{name: i, zh: i, en: i, count: m, linked_duplicates: true}")
        // The second kind is the mistake: its value's place.
        #expect(error(two).hasPrefix("p.yaml:\(lineOf("linked_duplicates: true}", in: two)):\(columnOf("linked_duplicates: true}", in: two) + 19):"))
        // Before, any indicator whose kind was not matched was taken as
        // linked duplicates, `linked_duplicates: false` included.
        let off = plan("{name: i, zh: i, en: i, linked_duplicates: false}")
        #expect(error(off).hasPrefix("p.yaml:\(lineOf("linked_duplicates: false", in: off)):\(columnOf("linked_duplicates: false}", in: off) + 19):"))
        #expect(error(off).contains("write linked_duplicates: true"))
        // A key that is no kind at all is an unknown key, at its place.
        let unknown = plan("{name: i, zh: i, en: i, ratio: m}")
        #expect(error(unknown).contains("unknown key"))
        #expect(error(unknown).hasPrefix("p.yaml:\(lineOf("ratio: m", in: unknown)):\(columnOf("ratio: m", in: unknown)):"))
        // One kind is compiled.
        #expect(error(plan("{name: i, zh: i, en: i, count: m}")) == "no error")
    }

    @Test func plansThatExtendEachOtherInACycleAreRefused() throws {
        let dir = Fixtures.tempDirectory("cycle")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Fixtures.write(Array("plan: a\nextends: b.yaml\n".utf8), to: dir + "/a.yaml")
        Fixtures.write(Array("plan: b\nextends: a.yaml\n".utf8), to: dir + "/b.yaml")
        let e = #expect(throws: PlanError.self) { try CompiledPlan.load(path: dir + "/a.yaml") }
        #expect(e?.message.contains("extend each other in a cycle") == true)
    }

    func lineOf(_ needle: String, in text: String) -> Int {
        var n = 1
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.contains(needle) { return n }
            n += 1
        }
        return -1
    }

    func columnOf(_ needle: String, in text: String) -> Int {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let l = String(line)
            if let r = l.range(of: needle) { return l.unicodeScalars.distance(from: l.unicodeScalars.startIndex, to: r.lowerBound) + 1 }
        }
        return -1
    }

    // MARK: the 2022 plan's thresholds, both sides

    func classTotals(_ config: CompiledPlan, _ rows: [(String, Int, Int)]) -> [Int] {
        var text = "county_code,school_id,stage,grade,class_id,students\n"
        for (i, r) in rows.enumerated() { text += "110101,1111010001,\(r.0),\(r.1),c\(i),\(r.2)\n" }
        let report = validate(config, "110101_class_size_2022-autumn.csv", text)
        return report.totals?.values ?? []
    }

    /// The class-size measures by name and stage: classes, students, large,
    /// super_large, over_standard; each primary, junior, senior, none.
    func measure(_ values: [Int], _ name: String, _ stage: Int) -> Int {
        let names = ["classes", "students", "large", "super_large", "over_standard"]
        return values[names.firstIndex(of: name)! * 4 + stage]
    }

    @Test func classSizeThresholdsOnBothSides() {
        let c = Fixtures.config
        let t = classTotals(c, [("primary", 1, 55), ("primary", 1, 56), ("primary", 1, 65), ("primary", 1, 66),
                                ("primary", 2, 45), ("primary", 2, 46), ("junior", 7, 50), ("junior", 7, 51), ("senior", 10, 50), ("senior", 10, 51)])
        #expect(measure(t, "classes", 0) == 6 && measure(t, "classes", 1) == 2 && measure(t, "classes", 2) == 2)
        #expect(measure(t, "large", 0) == 2)        // 56 and 65, not 55 or 66
        #expect(measure(t, "super_large", 0) == 1)  // 66
        #expect(measure(t, "over_standard", 0) == 5) // 46 and above in primary
        #expect(measure(t, "over_standard", 1) == 1) // 51, not 50
        #expect(measure(t, "over_standard", 2) == 1)
        #expect(measure(t, "large", 1) == 0 && measure(t, "super_large", 2) == 0)
    }

    @Test func fiveTwoThresholdsOnBothSides() {
        let header = "county_code,school_id,school_name,stage,enrolled,offers_service,participants,days_per_week,minutes_per_day,funding_secured\n"
        let r = validate(Fixtures.config, "110101_after_school_2022-autumn.csv", header + """
            110101,1111010001,,primary,100,1,50,5,120,1
            110101,1111010002,,primary,100,1,50,4,120,1
            110101,1111010003,,primary,100,1,50,5,119,0
            110101,1111010004,,primary,100,0,0,5,120,1

            """)
        // schools, offering, participants, enrolled, five_two, funded
        #expect(r.totals?.values == [4, 3, 150, 400, 1, 2])
    }

    @Test func movingAThresholdInACopyOfThePlanMovesTheIndicators() throws {
        let text = try String(contentsOfFile: Fixtures.packageRoot + "/pipelines/basic-education-2022.yaml", encoding: .utf8)
        let moved = text.replacingOccurrences(of: "count: students >= 56 and students <= 65", with: "count: students >= 55 and students <= 65")
            .replacingOccurrences(of: "values: {primary: 45, junior: 50, senior: 50}", with: "values: {primary: 44, junior: 50, senior: 50}")
        #expect(moved != text)
        let copy = try CompiledPlan.parse(moved, source: "copy.yaml")
        let rows = [("primary", 1, 55), ("primary", 1, 45)]
        let before = classTotals(Fixtures.config, rows)
        let after = classTotals(copy, rows)
        #expect(measure(before, "large", 0) == 0 && measure(after, "large", 0) == 1)
        #expect(measure(before, "over_standard", 0) == 1 && measure(after, "over_standard", 0) == 2)
    }

    /// The plan the README shows a data officer is one edupipe accepts.
    @Test func theReadmesExamplePlanIsRight() throws {
        let readme = try String(contentsOfFile: Fixtures.packageRoot + "/README.md", encoding: .utf8)
        let start = try #require(readme.range(of: "```yaml\nplan: basic-education-2024"))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let yaml = String(readme[readme.index(start.lowerBound, offsetBy: 8)..<end.lowerBound])
        let config = try CompiledPlan.parse(yaml, source: Fixtures.packageRoot + "/pipelines/readme.yaml")
        #expect(config.datasets.last?.rawValue == "meals")
        #expect(config.catalog.index(of: "meals.kitchen_share") != nil)
    }

    /// Terminal tables align by display width: a Chinese character takes
    /// two columns, so 内蒙古自治区 and 北京市 end their cells level.
    @Test func terminalTablesAlignByDisplayWidth() {
        var t = TextTable(["province", "reporting", "missing"], right: [1])
        t.rows = [["150000 内蒙古自治区", "3/103", "-"], ["110000 北京市", "16/16", "-"]]
        let lines = t.text.split(separator: "\n").map(String.init)
        let columns = lines.map { line -> Int in
            // The display column where "missing"'s cell starts.
            displayWidth(String(line.dropLast(line.hasSuffix("missing") ? 7 : 1)))
        }
        #expect(Set(columns).count == 1, "\(lines)")
        // The numbers are aligned right: they end where the header does.
        let ends = [("reporting", lines[0]), ("3/103", lines[1]), ("16/16", lines[2])].map { word, line in
            displayWidth(String(line[..<line.range(of: word)!.upperBound]))
        }
        #expect(Set(ends).count == 1, "\(lines)")
    }
}
