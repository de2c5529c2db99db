import Foundation
import Testing
@testable import EdupipeStandard
@testable import EdupipeAggregate
@testable import EdupipeOutput
@testable import EdupipeRun

/// Section 8: the quality checks and sustained zero, each at the boundaries
/// the standard names, with numbers worked out by hand.
@Suite struct QualityTests {
    static let key = String(repeating: "cd", count: 32)
    static let plan2023: CompiledPlan = try! CompiledPlan.load(path: Fixtures.packageRoot + "/pipelines/basic-education-2023.yaml")

    /// Runs the nightly job on `files` (path → text) and returns the output folder.
    static func run(_ files: [String: String], config: CompiledPlan = Fixtures.config) throws -> String {
        let inbox = Fixtures.tempDirectory("q-inbox")
        for (path, text) in files { Fixtures.write(Array(text.utf8), to: inbox + "/" + path) }
        let out = Fixtures.tempDirectory("q-out")
        let options = RunOptions(inbox: inbox, out: out, jobs: 2, stateDirectory: out + "/.state", environment: ["EDUPIPE_KEY": key])
        _ = try NightlyRun(setup: Setup(config: config, registry: Fixtures.registry), options: options).execute()
        return out
    }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<missing \(path)>" }

    /// One after-school file: a school per (enrolled, participants).
    static func afterSchool(_ county: String, _ schools: [(Int, Int)]) -> String {
        Samples.csv(Samples.afterHeader, schools.enumerated().map { i, s in
            "\(county),1\(county)\(String(format: "%03d", i)),,primary,\(s.0),Y,\(s.1),5,120,Y"
        })
    }

    /// One class-size file: a class per (stage, students).
    static func classes(_ county: String, _ list: [(String, Int)]) -> String {
        Samples.csv(Samples.classHeader, list.enumerated().map { i, c in
            let grade = c.0 == "primary" ? 1 : c.0 == "junior" ? 7 : 10
            return "\(county),1\(county)001,\(c.0),\(grade),c\(i),\(c.1)"
        })
    }

    static let hubei = Fixtures.registry.counties.filter { $0.hasPrefix("42") }

    // MARK: over time

    @Test func overTimeAtThirtyThreePercentAcrossTheYearAndRevisions() throws {
        let (a, b, c, d) = (Self.hubei[0], Self.hubei[1], Self.hubei[2], Self.hubei[3])
        let out = try Self.run([
            // 2022-autumn is 2023-spring's previous period.
            "\(a)_after_school_2022-autumn.csv": Self.afterSchool(a, [(100, 10)]),
            "\(a)_after_school_2023-spring.csv": Self.afterSchool(a, [(133, 10)]),      // +33%: not flagged
            "\(b)_after_school_2022-autumn.csv": Self.afterSchool(b, [(100, 10)]),
            "\(b)_after_school_2023-spring.csv": Self.afterSchool(b, [(134, 10)]),      // +34%: high
            "\(c)_after_school_2022-autumn.csv": Self.afterSchool(c, [(100, 10)]),
            "\(c)_after_school_2023-spring.csv": Self.afterSchool(c, [(67, 10)]),       // -33%: not flagged
            // The previous file is the revision in force: r2 (200), not r1 (100).
            "\(d)_after_school_2022-autumn.csv": Self.afterSchool(d, [(100, 10)]),
            "\(d)_after_school_2022-autumn_r2.csv": Self.afterSchool(d, [(200, 10)]),
            "\(d)_after_school_2023-spring.csv": Self.afterSchool(d, [(266, 10), (0, 0)]), // +33% of 200, schools 1 → 2: high
        ])
        let name = { (code: String) in Fixtures.registry.units[code]!.name }
        #expect(Self.read(out + "/2023-spring/quality.csv") == """
            period,code,name,check,subject,value,reference,flag
            2023-spring,\(b),\(name(b)),over_time,after_school.enrolled,134,100,high
            2023-spring,\(d),\(name(d)),over_time,after_school.schools,2,1,high

            """)
        // No predecessor in the inbox: skipped, never an error.
        #expect(Self.read(out + "/2022-autumn/quality.csv") == ContractFiles.qualityHeader)
    }

    @Test func overTimeLowAndAZeroPreviousValue() throws {
        let (a, b) = (Self.hubei[4], Self.hubei[5])
        let out = try Self.run([
            "\(a)_after_school_2023-spring.csv": Self.afterSchool(a, [(100, 10)]),
            "\(a)_after_school_2023-autumn.csv": Self.afterSchool(a, [(66, 10)]),
            // r = 0: not flagged, whatever the change.
            "\(b)_after_school_2023-spring.csv": Self.afterSchool(b, [(0, 0)]),
            "\(b)_after_school_2023-autumn.csv": Self.afterSchool(b, [(500, 10)]),
        ])
        #expect(Self.read(out + "/2023-autumn/quality.csv") == """
            period,code,name,check,subject,value,reference,flag
            2023-autumn,\(a),\(Fixtures.registry.units[a]!.name),over_time,after_school.enrolled,66,100,low

            """)
    }

    // MARK: related

    @Test func relatedPairAtEachBound() throws {
        let c = Array(Self.hubei[10..<14])
        var files: [String: String] = [:]
        // Enrolled 100 each; compulsory pupils 80 (0.8), 79, 125 (1.25), 126;
        // a senior class of 60 counts for none of them.
        for (county, students) in zip(c, [80, 79, 125, 126]) {
            files["\(county)_after_school_2022-autumn.csv"] = Self.afterSchool(county, [(100, 10)])
            files["\(county)_class_size_2022-autumn.csv"] = Self.classes(county, [("primary", students - 40), ("junior", 40), ("senior", 60)])
        }
        // Only one of the pair in force: skipped.
        files["\(Self.hubei[14])_class_size_2022-autumn.csv"] = Self.classes(Self.hubei[14], [("primary", 5)])
        let out = try Self.run(files)
        let n = { (code: String) in Fixtures.registry.units[code]!.name }
        #expect(Self.read(out + "/2022-autumn/quality.csv") == """
            period,code,name,check,subject,value,reference,flag
            2022-autumn,\(c[1]),\(n(c[1])),related,compulsory_students_vs_enrolled,0.790000,0.8,low
            2022-autumn,\(c[3]),\(n(c[3])),related,compulsory_students_vs_enrolled,1.260000,1.25,high

            """)
    }

    // MARK: outliers

    /// Student participation p/13490 per county (one school of 13,490 pupils).
    static func participation(_ counts: [Int]) throws -> String {
        var files: [String: String] = [:]
        for (county, p) in zip(hubei, counts) {
            files["\(county)_after_school_2022-autumn.csv"] = afterSchool(county, [(13490, p)])
        }
        return read(try run(files) + "/2022-autumn/quality.csv")
    }

    @Test func outlierAtZExactlyThreePointFive() throws {
        // Median 6000, MAD 1349: 0.6745 * 7000 / 1349 = 3.5 exactly.
        let base = [4651, 4651, 6000, 6000, 7349, 7349]
        #expect(try Self.participation(base + [13000]) == ContractFiles.qualityHeader)
        let flagged = try Self.participation(base + [13001])
        let c = Self.hubei[6]
        #expect(flagged == ContractFiles.qualityHeader
            + "2022-autumn,\(c),\(Fixtures.registry.units[c]!.name),outlier,after_school.student_participation,"
            + "\(Ratio.sixDecimals(13001, 13490)),\(Ratio.sixDecimals(6000, 13490)),high\n")
        #expect(Ratio.sixDecimals(6000, 13490) == "0.444774")
    }

    @Test func outlierNeedsSevenPeersAndAMADAboveZero() throws {
        // Six peers: never compared.
        #expect(try Self.participation([4651, 4651, 6000, 7349, 7349, 13490]) == ContractFiles.qualityHeader)
        // Seven: the same outlier is flagged (median 6000, MAD 1349).
        #expect(try Self.participation([4651, 4651, 6000, 6000, 7349, 7349, 13490]).contains(",outlier,after_school.student_participation,1.000000,0.444774,high\n"))
        // MAD 0: nobody is flagged.
        #expect(try Self.participation([6000, 6000, 6000, 6000, 6000, 6000, 13490]) == ContractFiles.qualityHeader)
        // Low, with an even count: the median is the mean of the middle two
        // (5900 and 6000), the MAD too (50 and 150).
        let low = try Self.participation([5900, 5900, 5900, 6000, 6100, 6100, 6100, 10])
        #expect(low == ContractFiles.qualityHeader + "2022-autumn,\(Self.hubei[7]),\(Fixtures.registry.units[Self.hubei[7]]!.name),outlier,"
            + "after_school.student_participation,\(Ratio.sixDecimals(10, 13490)),\(Ratio.sixDecimals(5950, 13490)),low\n")
    }

    // MARK: exact arithmetic

    @Test func exactFractions() {
        let big = ExactFraction(Int(Int32.max), 3)
        #expect(ExactFraction.mean(ExactFraction(1, 3), ExactFraction(1, 6)) == ExactFraction(1, 4))
        #expect(ExactFraction.distance(ExactFraction(1, 3), ExactFraction(1, 2)) == ExactFraction(1, 6))
        #expect(ExactFraction.median([ExactFraction(3, 4), ExactFraction(1, 4), ExactFraction(1, 2)]) == ExactFraction(1, 2))
        #expect(ExactFraction(2, 3).sixDecimals == "0.666667")
        #expect(ExactFraction(1, 8).sixDecimals == "0.125000")
        #expect(big.times(1 << 30).times(1 << 30) > big)
        #expect(ExactFraction(1, 3) < ExactFraction(1, 2))
    }

    // MARK: sustained zero (2023 plan)

    @Test func sustainedZeroAtFourLevels() throws {
        let (a, b, c, d) = (Self.hubei[0], Self.hubei[1], Self.hubei[2], Self.hubei[3])
        let header = Samples.dropoutHeader
        let out1 = HandInbox.X
        var files: [String: String] = [:]
        files["\(a)_dropout_2022-autumn.csv"] = header + "\n"
        files["\(a)_dropout_2023-spring.csv"] = header + "\n"                      // zero, zero: counted
        files["\(b)_dropout_2022-autumn.csv"] = Samples.csv(header, ["\(b),\(out1),,8,2022-09-01,out,,"])
        files["\(b)_dropout_2023-spring.csv"] = header + "\n"                      // out before: not counted
        files["\(c)_dropout_2023-spring.csv"] = header + "\n"                      // no list before: not counted
        files["\(d)_dropout_2022-autumn.csv"] = header + "\n"
        files["\(d)_dropout_2023-spring.csv"] = Samples.csv(header, ["\(d),\(out1),,8,2023-03-01,out,,"]) // out now
        let out = try Self.run(files, config: Self.plan2023)
        let rows = Self.read(out + "/2023-spring/indicators.csv").split(separator: "\n").filter { $0.contains(",dropout.sustained_zero,") }
        func row(_ code: String) -> String? { rows.first { $0.contains(",\(code),") }.map(String.init) }
        #expect(row("000000")?.hasSuffix(",dropout.sustained_zero,1,4,0.250000,>=1,not_met") == true)
        #expect(row("420000")?.hasSuffix(",dropout.sustained_zero,1,4,0.250000,>=1,not_met") == true)
        #expect(row(a)?.hasSuffix(",dropout.sustained_zero,1,1,1.000000,>=1,met") == true)
        #expect(row(b)?.hasSuffix(",dropout.sustained_zero,0,1,0.000000,>=1,not_met") == true)
        #expect(row(c)?.hasSuffix(",dropout.sustained_zero,0,1,0.000000,>=1,not_met") == true)
        #expect(row("110000")?.hasSuffix(",dropout.sustained_zero,0,0,,>=1,no_data") == true)
        // zero_counties, the period alone: a, b and c.
        let zero = Self.read(out + "/2023-spring/indicators.csv").split(separator: "\n").first { $0.hasPrefix("2023-spring,national,000000,全国,dropout.zero_counties,") }
        #expect(zero == "2023-spring,national,000000,全国,dropout.zero_counties,3,4,0.750000,>=1,not_met")
        // The 2022 plan's tables do not change: no such row.
        #expect(Fixtures.config.catalog.index(of: "dropout.sustained_zero") == nil)
    }

    // MARK: checks written as YAML alone

    @Test func aPlanAuthorAddsChecksAsYAMLAlone() throws {
        let yaml = """
            plan: test-quality
            extends: basic-education-2023.yaml
            indicators:
              - {dataset: dropout, name: zero_three, zh: 三期清零, en: Zero three periods, counties_with_zero: outstanding, periods: 3, target: ">=1"}
            quality:
              related:
                - {name: safety_vs_after_school, numerator: campus_safety.schools, denominator: after_school.schools,
                   low: 0.9, high: 1.1, zh: "{value}", en: "{value} against {reference}"}

            """
        let path = Fixtures.packageRoot + "/pipelines/test-quality.yaml"
        let config = try CompiledPlan.parse(yaml, source: path)
        let county = Self.hubei[20]
        let safety = "county_code,school_id,school_name,stage,full_time_guard,closed_management,alarm_video_linked,guard_post\n"
        let empty = Samples.dropoutHeader + "\n"
        let out = try Self.run([
            "\(county)_after_school_2023-autumn.csv": Self.afterSchool(county, [(10, 1), (10, 1)]),
            "\(county)_campus_safety_2023-autumn.csv": safety + "\(county),1\(county)000,,primary,1,1,1,1\n",
            "\(county)_dropout_2022-autumn.csv": empty,
            "\(county)_dropout_2023-spring.csv": empty,
            "\(county)_dropout_2023-autumn.csv": empty,
        ], config: config)
        #expect(Self.read(out + "/2023-autumn/quality.csv").contains(",related,safety_vs_after_school,0.500000,0.9,low\n"))
        let three = Self.read(out + "/2023-autumn/indicators.csv").split(separator: "\n").first { $0.contains(",\(county),") && $0.contains(",dropout.zero_three,") }
        #expect(three?.hasSuffix(",1,1,1.000000,>=1,met") == true)
        // Two periods back only: not sustained over three.
        let spring = Self.read(out + "/2023-spring/indicators.csv").split(separator: "\n").first { $0.contains(",\(county),") && $0.contains(",dropout.zero_three,") }
        #expect(spring?.hasSuffix(",0,1,0.000000,>=1,not_met") == true)
    }

    @Test(arguments: [
        ("quality:\n  related:\n    - {name: x, numerator: class_size.nothing, denominator: after_school.enrolled, low: 0.8, high: 1.25, zh: a, en: b}\n",
         "bad.yaml:5:28: quality.related.x.numerator: no measure nothing in class_size"),
        ("quality:\n  related:\n    - {name: x, numerator: class_size.students, denominator: after_school.enrolled, low: lots, high: 1.25, zh: a, en: b}\n",
         "bad.yaml:5:90: quality.related.x.low: expected a number such as 0.8 or 3.5, found lots"),
        ("quality:\n  related:\n    - {name: x, numerator: class_size.students, denominator: preschool.children, low: 0.8, high: 1.25, zh: a, en: b}\n",
         "bad.yaml:5:62: quality.related.x.denominator: the plan has no dataset preschool"),
        ("quality:\n  outlier:\n    indicators: [class_size.avg_size.none]\n",
         "bad.yaml:5:18: quality.outlier.indicators: the plan has no indicator class_size.avg_size.none"),
        ("quality:\n  over_time:\n    change: 1/3\n",
         "bad.yaml:5:13: quality.over_time.change: expected a number"),
        ("indicators:\n  - {dataset: dropout, name: z, zh: z, en: z, count: records, periods: 2}\n",
         "bad.yaml:4:72: indicators.dropout.z.periods: only counties_with_zero looks across periods"),
    ])
    func aWrongCheckIsRefusedWithLineAndColumn(yaml: String, expected: String) {
        let source = Fixtures.packageRoot + "/pipelines/bad.yaml"
        var said = "no error"
        do { _ = try CompiledPlan.parse("plan: bad\nextends: basic-education-2022.yaml\n" + yaml, source: source) } catch { said = "\(error)" }
        #expect(said.hasSuffix(expected) || said.contains(expected), "\(said)")
    }
}
