import Foundation
import Testing

/// The quality checks that concern one file, where a clerk sees them: the
/// upload's receipt and `validate --inbox` (section 8; a flag never rejects).
@Suite(.serialized) struct QualityReceiptTests {
    static let header = Samples.afterHeader
    static func after(_ enrolled: Int) -> String { Samples.csv(header, ["420102,1142010001,,primary,\(enrolled),Y,50,5,120,Y"]) }

    @Test func validateAgainstTheOfficesInbox() throws {
        let root = Fixtures.tempDirectory("vq")
        Fixtures.write(Array(Self.after(100).utf8), to: root + "/inbox/hubei/420102_after_school_2022-autumn.csv")
        // r2 is in force in the previous period: 150, so 200 is +33.3%, flagged; r1 (100) would say +100%.
        Fixtures.write(Array(Self.after(150).utf8), to: root + "/inbox/hubei/420102_after_school_2022-autumn_r2.csv")
        Fixtures.write(Array(Self.after(200).utf8), to: root + "/new/420102_after_school_2023-spring.csv")
        let file = root + "/new/420102_after_school_2023-spring.csv"
        let r = try BinaryRunner.run(["validate", "--lang", "zh", "--inbox", root + "/inbox", file])
        #expect(r.status == 0, "a flag never rejects")
        #expect(r.stdout.contains("数据质量核查（不影响接收）：这次报送的在校生数为 200，上一学期为 150"), "\(r.stdout)")
        let json = try BinaryRunner.run(["validate", "--format", "json", "--inbox", root + "/inbox", file])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let quality = ((object?["files"] as? [[String: Any]])?.first?["quality"] as? [[String: Any]]) ?? []
        #expect(quality.count == 1)
        #expect(quality.first?["check"] as? String == "over_time")
        #expect(quality.first?["reference"] as? String == "150")
        // Without --inbox, no quality key: the verdict alone.
        #expect(!(try BinaryRunner.run(["validate", "--format", "json", file]).stdout.contains("\"quality\"")))
        // 199 is a change of 49 of 150: not more than 33%... 49 > 49.5 is false.
        Fixtures.write(Array(Self.after(199).utf8), to: root + "/new/420102_after_school_2023-spring.csv")
        #expect(!(try BinaryRunner.run(["validate", "--inbox", root + "/inbox", file]).stdout.contains("quality check")))
    }

    @Test func theReceiptCarriesTheFlagsInTheCallersLanguage() throws {
        let s = try ServeHarness()
        let token = try s.account("420102")
        try s.start()
        #expect(try s.put("420102_after_school_2022-autumn.csv", Array(Self.after(100).utf8), token: token).status == 201)
        let classes = Array(Samples.csv(Samples.classHeader, ["420102,1142010001,primary,1,1-01,40"]).utf8)
        let up = try s.put("420102_after_school_2023-spring.csv", Array(Self.after(200).utf8), token: token)
        #expect(up.status == 201)
        let flags = up.json["quality"] as? [[String: Any]] ?? []
        #expect(flags.map { $0["check"] as? String } == ["over_time"])
        #expect((flags.first?["message"] as? String)?.contains("上一学期为 100") == true)
        // The class file of the same period against the after-school file: related, in English when asked.
        let c = try s.request("PUT", "/api/v1/files/420102_class_size_2023-spring.csv?lang=en", token: token, body: classes)
        let related = c.json["quality"] as? [[String: Any]] ?? []
        #expect(related.first?["check"] as? String == "related")
        #expect(related.first?["value"] as? String == "0.200000")
        #expect((related.first?["message"] as? String)?.hasPrefix("the class-size file") == true)
        // A rejected file gets no flags.
        let bad = try s.put("420102_after_school_2023-spring_r2.csv", Array(Samples.csv(Self.header, ["420102,x,,primary,1,Y,0,5,120,Y"]).utf8), token: token)
        #expect((bad.json["quality"] as? [[String: Any]])?.isEmpty == true)
    }
}

extension QualityReceiptTests {
    @Test func statusCountsTheLastRunsFlagsPerCounty() throws {
        let root = Fixtures.tempDirectory("sq")
        Fixtures.write(Array(Self.after(100).utf8), to: root + "/inbox/420102_after_school_2022-autumn.csv")
        Fixtures.write(Array(Self.after(200).utf8), to: root + "/inbox/420102_after_school_2023-spring.csv")
        let env = ["EDUPIPE_KEY": String(repeating: "ab", count: 32)]
        let run = try BinaryRunner.run(["run", "--inbox", root + "/inbox", "--out", root + "/out", "--state", root + "/state", "--quiet"], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        let status = try BinaryRunner.run(["status", "--state", root + "/state", "--period", "2023-spring"], environment: env)
        #expect(status.stdout.contains("quality flags (last run): 1 counties: 江岸区 420102 1"), "\(status.stdout)")
        let before = try BinaryRunner.run(["status", "--state", root + "/state", "--period", "2022-autumn"], environment: env)
        #expect(!before.stdout.contains("quality flags"))
    }
}
