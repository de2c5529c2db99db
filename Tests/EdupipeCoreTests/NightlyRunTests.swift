import Foundation
import Testing
@testable import EdupipeRun
@testable import EdupipeSupport
@testable import EdupipeAggregate
@testable import EdupipeOutput
@testable import EdupipeSynth

@Suite struct NightlyRunTests {
    static let key = String(repeating: "ab", count: 32)

    func run(inbox: String, jobs: Int = 2, out: String? = nil) throws -> (NightlyRun.Result, String) {
        let out = out ?? Fixtures.tempDirectory("out")
        let setup = Setup(config: Fixtures.config, registry: Fixtures.registry)
        let options = RunOptions(inbox: inbox, out: out, jobs: jobs, stateDirectory: out + "/.state",
                                 environment: ["EDUPIPE_KEY": Self.key])
        return (try NightlyRun(setup: setup, options: options).execute(), out)
    }

    func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<missing \(path)>" }

    @Test func acceptanceStatusesAndSubmissionsFile() throws {
        let (_, out) = try run(inbox: HandInbox.make())
        #expect(text(out + "/submissions.csv") == """
        file,county,dataset,period,revision,status,records,errors,warnings,first_error
        beijing/110101_after_school_2022-autumn.csv,110101,after_school,2022-autumn,1,accepted,1,0,0,
        beijing/110101_after_school_2022-autumn.xml,110101,after_school,2022-autumn,1,duplicate,1,0,0,
        beijing/110101_class_size_2023-spring.csv,110101,class_size,2023-spring,1,rejected,1,1,0,E_RANGE
        beijing/110101_dropout_2022-autumn.xml,110101,dropout,2022-autumn,1,accepted,1,0,0,
        beijing/notes.txt,,,,,rejected,0,1,0,E_FILENAME
        hubei/420102_after_school_2022-autumn.csv,420102,after_school,2022-autumn,1,accepted,2,0,0,
        hubei/420102_class_size_2022-autumn.csv,420102,class_size,2022-autumn,1,superseded,4,0,0,
        hubei/420102_class_size_2022-autumn_r2.csv,420102,class_size,2022-autumn,2,accepted,3,0,0,
        hubei/420102_class_size_2022-autumn_r3.csv,420102,class_size,2022-autumn,3,rejected,1,1,0,E_RANGE
        hubei/420102_dropout_2022-autumn.csv,420102,dropout,2022-autumn,1,accepted,2,0,0,
        hubei/420103_after_school_2022-autumn.csv,420103,after_school,2022-autumn,1,accepted,1,0,0,
        hubei/420103_class_size_2022-autumn.csv,420103,class_size,2022-autumn,1,rejected,1,1,0,E_REVISION_CONFLICT
        hubei/420103_class_size_2022-autumn.csv.gz,420103,class_size,2022-autumn,1,rejected,1,1,0,E_REVISION_CONFLICT
        hubei/420103_dropout_2022-autumn.csv,420103,dropout,2022-autumn,1,accepted,0,0,0,
        hubei/429004_after_school_2022-autumn.csv.gz,429004,after_school,2022-autumn,1,accepted,1,0,0,
        hubei/429004_class_size_2022-autumn.xml,429004,class_size,2022-autumn,1,accepted,2,0,0,
        hubei/429004_dropout_2022-autumn.csv,429004,dropout,2022-autumn,1,accepted,1,0,0,

        """)
        let errors = text(out + "/errors.csv")
        #expect(errors.hasPrefix("file,line,column,code,message\nbeijing/110101_class_size_2023-spring.csv,2,students,E_RANGE,\"students is 0, outside the allowed range 1..150\"\n"))
        #expect(errors.contains("hubei/420103_class_size_2022-autumn.csv,,,E_REVISION_CONFLICT,\"hubei/420103_class_size_2022-autumn.csv.gz is also revision 1"))
        #expect(errors.contains("hubei/420103_class_size_2022-autumn.csv.gz,,,E_REVISION_CONFLICT,\"hubei/420103_class_size_2022-autumn.csv is also revision 1"))
        #expect(errors.contains("hubei/420102_class_size_2022-autumn_r3.csv,2,grade,E_RANGE,grade 7 is not a primary grade"))
        // The inbox is untouched: nothing added, nothing removed.
        #expect(errors.split(separator: "\n").count == 6)
    }

    @Test func afterSchoolAtFourLevels() throws {
        let (result, _) = try run(inbox: HandInbox.make())
        let t = try #require(result.tables.first { $0.period == "2022-autumn" })
        func cell(_ l: Registry.Level, _ c: String, _ i: String) -> Cell? { t.row(l, c, "after_school." + i).map(Cell.init) }
        // Hubei: 4 schools, 3 offering; 280 of 650 pupils; 5+2 only at 1142010001; funded 2 of 3.
        #expect(cell(.province, "420000", "school_coverage") == Cell(3, 4, "0.750000", "not_met"))
        #expect(cell(.province, "420000", "student_participation") == Cell(280, 650, "0.430769", "no_target"))
        #expect(cell(.province, "420000", "five_two_compliance") == Cell(1, 3, "0.333333", "not_met"))
        #expect(cell(.province, "420000", "funding_secured") == Cell(2, 3, "0.666667", "not_met"))
        #expect(cell(.province, "420000", "reporting_rate") == Cell(3, 103, "0.029126", "not_met"))
        // 武汉 (420100) holds 420102 and 420103, not 仙桃 (429004, under the province).
        #expect(cell(.prefecture, "420100", "school_coverage") == Cell(2, 3, "0.666667", "not_met"))
        #expect(cell(.prefecture, "420100", "student_participation") == Cell(130, 350, "0.371429", "no_target"))
        #expect(cell(.prefecture, "420100", "five_two_compliance") == Cell(1, 2, "0.500000", "not_met"))
        #expect(cell(.prefecture, "420100", "reporting_rate") == Cell(2, 13, "0.153846", "not_met"))
        // 江汉区: no school offers the service, so 5+2 has no denominator.
        #expect(cell(.county, "420103", "school_coverage") == Cell(0, 1, "0.000000", "not_met"))
        #expect(cell(.county, "420103", "five_two_compliance") == Cell(0, 0, nil, "no_data"))
        #expect(cell(.county, "420103", "student_participation") == Cell(0, 200, "0.000000", "no_target"))
        #expect(cell(.county, "429004", "school_coverage") == Cell(1, 1, "1.000000", "met"))
        #expect(cell(.county, "429004", "reporting_rate") == Cell(1, 1, "1.000000", "met"))
        #expect(cell(.county, "420104", "school_coverage") == Cell(0, 0, nil, "no_data"))
        #expect(cell(.county, "420104", "reporting_rate") == Cell(0, 1, "0.000000", "not_met"))
        // Nation: Hubei plus 东城区 (its XML twin is a duplicate, counted once).
        #expect(cell(.national, "000000", "school_coverage") == Cell(4, 5, "0.800000", "not_met"))
        #expect(cell(.national, "000000", "student_participation") == Cell(290, 660, "0.439394", "no_target"))
        #expect(cell(.national, "000000", "five_two_compliance") == Cell(2, 4, "0.500000", "not_met"))
        #expect(cell(.national, "000000", "funding_secured") == Cell(3, 4, "0.750000", "not_met"))
        #expect(cell(.national, "000000", "reporting_rate") == Cell(4, 2854, "0.001402", "not_met"))
        #expect(cell(.province, "120000", "school_coverage") == Cell(0, 0, nil, "no_data"))
    }

    @Test func dropoutAtFourLevels() throws {
        let (result, out) = try run(inbox: HandInbox.make())
        let t = try #require(result.tables.first { $0.period == "2022-autumn" })
        func cell(_ l: Registry.Level, _ c: String, _ i: String) -> Cell? { t.row(l, c, "dropout." + i).map(Cell.init) }
        // Hubei: 3 records (2 + 1 + an empty list), 2 still out.
        #expect(cell(.province, "420000", "identified") == Cell(3, nil, "3", "no_target"))
        #expect(cell(.province, "420000", "outstanding") == Cell(2, nil, "2", "not_met"))
        #expect(cell(.province, "420000", "resolution_rate") == Cell(1, 3, "0.333333", "not_met"))
        #expect(cell(.province, "420000", "zero_counties") == Cell(1, 3, "0.333333", "not_met"))
        // X is listed by 420102 and 429004: a duplicate in Hubei, not in 武汉.
        #expect(cell(.province, "420000", "cross_county_duplicates") == Cell(1, nil, "1", "no_target"))
        #expect(cell(.prefecture, "420100", "cross_county_duplicates") == Cell(0, nil, "0", "no_target"))
        #expect(cell(.province, "110000", "cross_county_duplicates") == Cell(0, nil, "0", "no_target"))
        #expect(cell(.national, "000000", "cross_county_duplicates") == Cell(2, nil, "2", "no_target"))
        #expect(t.rows.filter { $0.level == .county && $0.indicator == "dropout.cross_county_duplicates" }.isEmpty)
        // The empty list: zero dropouts, the goal; no resolution rate to compute.
        #expect(cell(.county, "420103", "identified") == Cell(0, nil, "0", "no_target"))
        #expect(cell(.county, "420103", "outstanding") == Cell(0, nil, "0", "met"))
        #expect(cell(.county, "420103", "resolution_rate") == Cell(0, 0, nil, "no_data"))
        #expect(cell(.county, "420103", "zero_counties") == Cell(1, 1, "1.000000", "met"))
        #expect(cell(.national, "000000", "resolution_rate") == Cell(2, 4, "0.500000", "not_met"))
        #expect(cell(.national, "000000", "zero_counties") == Cell(2, 4, "0.500000", "not_met"))
        #expect(cell(.province, "120000", "identified") == Cell(0, nil, nil, "no_data"))
        #expect(cell(.province, "120000", "cross_county_duplicates") == Cell(0, nil, nil, "no_data"))

        let dups = text(out + "/2022-autumn/duplicates.csv").split(separator: "\n")
        #expect(dups.first == "period,student_key,counties")
        #expect(Set(dups.dropFirst().map { $0.split(separator: ",")[2] }) == ["110101;420102", "420102;429004"])
        #expect(dups.dropFirst().allSatisfy { $0.split(separator: ",")[1].count == 16 })
    }

    @Test func classSizeAtFourLevels() throws {
        let (result, _) = try run(inbox: HandInbox.make())
        let t = try #require(result.tables.first { $0.period == "2022-autumn" })
        func cell(_ l: Registry.Level, _ c: String, _ i: String) -> Cell? { t.row(l, c, "class_size." + i).map(Cell.init) }
        // In force: 420102 r2 (40, 60 primary; 50 junior) and 429004 (46 primary; 70 senior).
        #expect(cell(.province, "420000", "avg_size.primary") == Cell(146, 3, "48.666667", "no_target"))
        #expect(cell(.province, "420000", "large_share.primary") == Cell(1, 3, "0.333333", "not_met"))
        #expect(cell(.province, "420000", "over_standard_share.primary") == Cell(2, 3, "0.666667", "no_target"))
        #expect(cell(.province, "420000", "large_share.junior") == Cell(0, 1, "0.000000", "met"))
        #expect(cell(.province, "420000", "super_large_share.senior") == Cell(1, 1, "1.000000", "not_met"))
        #expect(cell(.province, "420000", "large_share.senior") == Cell(0, 1, "0.000000", "met"))
        #expect(cell(.province, "420000", "avg_size.all") == Cell(266, 5, "53.200000", "no_target"))
        #expect(cell(.province, "420000", "large_share.all") == Cell(1, 5, "0.200000", "no_target"))
        #expect(cell(.province, "420000", "super_large_share.all") == Cell(1, 5, "0.200000", "not_met"))
        #expect(cell(.province, "420000", "over_standard_share.all") == Cell(3, 5, "0.600000", "no_target"))
        #expect(cell(.province, "420000", "reporting_rate") == Cell(2, 103, "0.019417", "not_met"))
        // 420103's two conflicting files are both rejected: nothing in force.
        #expect(cell(.county, "420103", "reporting_rate") == Cell(0, 1, "0.000000", "not_met"))
        #expect(cell(.county, "420103", "avg_size.all") == Cell(0, 0, nil, "no_data"))
        // 武汉 has only 420102: no senior class, so senior shares have no data.
        #expect(cell(.prefecture, "420100", "super_large_share.senior") == Cell(0, 0, nil, "no_data"))
        #expect(cell(.prefecture, "420100", "avg_size.all") == Cell(150, 3, "50.000000", "no_target"))
        #expect(cell(.national, "000000", "super_large_share.all") == Cell(1, 5, "0.200000", "not_met"))
    }

    @Test func everyUnitHasEveryIndicatorInOrder() throws {
        let (result, out) = try run(inbox: HandInbox.make())
        let t = try #require(result.tables.first { $0.period == "2022-autumn" })
        let r = Fixtures.registry
        let perUnit = Fixtures.config.catalog.entries.count
        #expect(t.rows.count == (1 + r.provinces.count + r.prefectures.count) * perUnit + r.counties.count * (perUnit - 1))
        let csv = text(out + "/2022-autumn/indicators.csv").split(separator: "\n", omittingEmptySubsequences: false)
        #expect(csv[0] == "period,level,code,name,indicator,numerator,denominator,value,target,status")
        #expect(csv[1] == "2022-autumn,national,000000,全国,after_school.five_two_compliance,2,4,0.500000,>=1,not_met")
        #expect(csv.count == t.rows.count + 2)
        let order: [Registry.Level: Int] = [.national: 0, .province: 1, .prefecture: 2, .county: 3]
        let keys = t.rows.map { (order[$0.level]!, $0.code, $0.indicator) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { a, b in a.0 != b.0 ? a.0 < b.0 : (a.1 != b.1 ? a.1 < b.1 : a.2.utf8.lexicographicallyPrecedes(b.2.utf8)) })
    }

    @Test func aPeriodWhoseFilesAreAllRejectedStillGetsATable() throws {
        let (_, out) = try run(inbox: HandInbox.make())
        let spring = text(out + "/2023-spring/indicators.csv")
        #expect(spring.contains("2023-spring,national,000000,全国,class_size.reporting_rate,0,2854,0.000000,>=1,not_met"))
        #expect(spring.contains("2023-spring,national,000000,全国,class_size.avg_size.all,0,0,,,no_data"))
    }

    @Test func indicatorsJSONIsTyped() throws {
        let (_, out) = try run(inbox: HandInbox.make())
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/2022-autumn/indicators.json"))
        let rows = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let first = rows[0]
        #expect(first["numerator"] as? Int == 2)
        #expect(first["denominator"] as? Int == 4)
        #expect((first["value"] as? NSNumber)?.doubleValue == 0.5)
        let count = try #require(rows.first { $0["indicator"] as? String == "dropout.identified" && $0["code"] as? String == "000000" })
        #expect(count["denominator"] is NSNull)
        let noData = try #require(rows.first { $0["status"] as? String == "no_data" })
        #expect(noData["value"] is NSNull)
    }

    @Test func deterministicWhateverTheThreadsAndTheOrderOnDisk() throws {
        let n = HandInbox.files.count
        let forward = HandInbox.make(order: Array(0..<n))
        var generator = SynthRandom(seed: 7, stream: 0)
        let shuffled = HandInbox.make(order: Array(0..<n).shuffled(using: &generator))
        let (_, a) = try run(inbox: forward, jobs: 1)
        let (_, b) = try run(inbox: shuffled, jobs: 4)
        for file in ["submissions.csv", "errors.csv", "2022-autumn/indicators.csv", "2022-autumn/indicators.json",
                     "2022-autumn/duplicates.csv", "2023-spring/indicators.csv"] {
            let x = try Data(contentsOf: URL(fileURLWithPath: a + "/" + file))
            let y = try Data(contentsOf: URL(fileURLWithPath: b + "/" + file))
            #expect(x == y, "\(file) differs")
        }
    }

    @Test func noTemporaryFileIsLeftAndNoRawIDIsWritten() throws {
        let (_, out) = try run(inbox: HandInbox.make())
        _ = try run(inbox: HandInbox.make(), out: out)
        let all = FileManager.default.enumerator(atPath: out)!.compactMap { $0 as? String }
        #expect(!all.contains { $0.contains(AtomicFile.temporaryMarker) })
        for file in all where !file.hasPrefix(".state") {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: out + "/" + file, isDirectory: &isDir)
            if isDir.boolValue { continue }
            let body = text(out + "/" + file)
            #expect(!body.contains(HandInbox.X) && !body.contains(HandInbox.Y), "\(file) holds a raw student ID")
        }
    }

    @Test func theKeyFileIsCreatedOncePrivately() throws {
        let state = Fixtures.tempDirectory("state") + "/nested/.edupipe"
        let first = try InstallationSecret.load(stateDirectory: state, environment: [:])
        let again = try InstallationSecret.load(stateDirectory: state, environment: [:])
        #expect(first.secret == again.secret)
        #expect(first.secret.count == 32)
        let mode = try FileManager.default.attributesOfItem(atPath: state + "/key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let fromEnv = try InstallationSecret.load(stateDirectory: state, environment: ["EDUPIPE_KEY": Self.key])
        #expect(fromEnv.secret == [UInt8](repeating: 0xAB, count: 32))
        #expect(throws: EdupipeError.self) {
            try InstallationSecret.load(stateDirectory: state, environment: ["EDUPIPE_KEY": "zz"])
        }
    }

    @Test func theInboxIsNeverModified() throws {
        let inbox = HandInbox.make()
        func snapshot() throws -> [String: (Data, Date)] {
            var files: [String: (Data, Date)] = [:]
            for path in try FileManager.default.subpathsOfDirectory(atPath: inbox) {
                let full = inbox + "/" + path
                let attributes = try FileManager.default.attributesOfItem(atPath: full)
                if attributes[.type] as? FileAttributeType == .typeRegular {
                    files[path] = (FileManager.default.contents(atPath: full)!, attributes[.modificationDate] as! Date)
                }
            }
            return files
        }
        let before = try snapshot()
        _ = try run(inbox: inbox, jobs: 3)
        let after = try snapshot()
        #expect(before.keys.sorted() == after.keys.sorted())
        for (path, (data, date)) in before {
            #expect(after[path]?.0 == data && after[path]?.1 == date, "\(path) changed")
        }
    }

    @Test func anUnreadableInboxIsAnError() {
        #expect(failure { try run(inbox: "/nonexistent/inbox") }?.code == .io)
    }

    @Test func roundingIsExactAndHalfUp() {
        #expect(Ratio.sixDecimals(1, 3) == "0.333333")
        #expect(Ratio.sixDecimals(2, 3) == "0.666667")
        #expect(Ratio.sixDecimals(1, 8) == "0.125000")
        #expect(Ratio.sixDecimals(1, 2_000_000) == "0.000001")
        #expect(Ratio.sixDecimals(1_655, 34) == "48.676471")
        #expect(Ratio.sixDecimals(0, 7) == "0.000000")
        #expect(Ratio.sixDecimals(Int(Int32.max) * 1000, 1) == "2147483647000.000000")
    }

    @Test func ratiosAgreeOnTheFastAndTheWidePath() {
        // Numerators up to 2⁴⁴ cross the 2⁴⁰ bound of the 64-bit path; the
        // reference is the rounding rule itself, in 128 bits.
        var x: UInt64 = 42
        for _ in 0..<20_000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let n = Int(x >> 20), d = Int(x & 0xFFFFF) + 1
            let q = (UInt128(n) * 2_000_000 + UInt128(d)) / (UInt128(d) * 2)
            let expected = (whole: Int(q / 1_000_000), fraction: Int(q % 1_000_000))
            let got = Ratio.scaled(n, d)
            #expect(got.whole == expected.whole && got.fraction == expected.fraction, "\(n)/\(d)")
            var b = TextBuffer(capacity: 64)
            b.appendRatio(n, d)
            #expect(String(decoding: b.bytes, as: UTF8.self) == Ratio.sixDecimals(n, d))
        }
        func trimmed(_ n: Int, _ d: Int) -> String {
            var b = TextBuffer(capacity: 64)
            b.appendRatio(n, d, trimmed: true)
            return String(decoding: b.bytes, as: UTF8.self)
        }
        #expect(trimmed(1, 8) == "0.125")
        #expect(trimmed(3, 1) == "3")
        #expect(trimmed(1, 3) == "0.333333")
        #expect(trimmed(1, 2_000_000) == "0.000001")
    }

    @Test func integersAreWrittenAsSwiftWritesThem() {
        for n in [0, 7, 9, 10, 99, 100, 12_345, -1, -10, -987_654_321, Int.max, Int.min] {
            var b = TextBuffer(capacity: 4)
            b.append(0x3C)
            b.appendInt(n)
            b.append(0x3E)
            #expect(String(decoding: b.bytes, as: UTF8.self) == "<\(n)>")
        }
    }
}
