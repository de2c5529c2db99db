import Foundation
import Testing

#if DEBUG
let optimizedBuild = false
#else
let optimizedBuild = true
#endif

/// Hostile and huge inputs, through the release-built binary: each must end
/// cleanly (exit 0 or 1, no signal), quickly, in about 100 MB of memory.
/// `make test` runs these in a release build, where they take seconds; a
/// debug build skips them (its binary is 10-50x slower on byte loops).
@Suite(.serialized, .enabled(if: optimizedBuild, "heavy inputs run in the release build of `make test`"))
struct HeavyInputTests {
    static let memoryCeiling = 100 << 20

    func validate(_ path: String) throws -> BinaryRunner.Result {
        let r = try BinaryRunner.run(["validate", "--format", "json", path])
        #expect(r.signal == nil, "crashed: \(r.stderr)")
        #expect(r.maxRSSBytes > 0 && r.maxRSSBytes < Self.memoryCeiling, "peak RSS \(r.maxRSSBytes >> 20) MiB")
        return r
    }

    func firstError(_ r: BinaryRunner.Result) -> String? {
        guard let data = r.stdout.data(using: .utf8),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let files = json["files"] as? [[String: Any]] else { return nil }
        return files.first?["first_error"] as? String
    }

    /// A gzip file of `members` copies of one member: 1 MiB inflates from a
    /// kilobyte, so a gigabyte costs a few megabytes of disk.
    func bomb(_ name: String, header: String, member: [UInt8], members: Int) -> String {
        let dir = Fixtures.tempDirectory("bomb")
        let path = dir + "/" + name
        let one = Fixtures.gzip(member, level: 9)
        var bytes = Fixtures.gzip(header)
        bytes.reserveCapacity(bytes.count + one.count * members)
        for _ in 0..<members { bytes += one }
        Fixtures.write(bytes, to: path)
        return path
    }

    @Test func gigabyteOfBlankLinesStopsAtTheLimit() throws {
        let line = Array(String(repeating: " ", count: 79).utf8) + [0x0A]
        let member = Array((0..<(1 << 20) / 80).map { _ in line }.joined())
        let path = bomb("110101_class_size_2022-autumn.csv.gz", header: Samples.classHeader + "\n", member: member, members: 1100)
        let r = try validate(path)
        #expect(r.status == 1)
        #expect(firstError(r) == "E_TOO_LARGE")
    }

    @Test func gigabyteOfZerosEndsCleanly() throws {
        let path = bomb("110101_class_size_2022-autumn.csv.gz", header: "", member: [UInt8](repeating: 0, count: 1 << 20), members: 1100)
        let r = try validate(path)
        #expect(r.status == 1)
        #expect(firstError(r) == "E_CSV_SYNTAX")
    }

    @Test func gigabyteOfXMLWhitespaceStopsAtTheLimit() throws {
        let head = "<?xml version=\"1.0\"?>\n<submission dataset=\"class_size\" county=\"110101\" period=\"2022-autumn\">"
        let path = bomb("110101_class_size_2022-autumn.xml.gz", header: head, member: [UInt8](repeating: 0x20, count: 1 << 20), members: 1100)
        let r = try validate(path)
        #expect(r.status == 1)
        #expect(firstError(r) == "E_TOO_LARGE")
    }

    @Test func billionLaughs() throws {
        var entities = "<!ENTITY a \"lol\">"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            entities += "<!ENTITY \(name) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
            previous = name
        }
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE submission [\(entities)]>\n<submission dataset=\"class_size\" county=\"110101\" period=\"2022-autumn\"><record class_id=\"&j;\"/></submission>"
        let dir = Fixtures.tempDirectory("lol")
        Fixtures.write(Array(text.utf8), to: dir + "/110101_class_size_2022-autumn.xml")
        let r = try validate(dir + "/110101_class_size_2022-autumn.xml")
        #expect(r.status == 1)
        #expect(firstError(r) == "E_XML_DTD")
    }

    @Test func zeroByteFile() throws {
        let dir = Fixtures.tempDirectory("zero")
        Fixtures.write([], to: dir + "/110101_dropout_2022-autumn.csv")
        let r = try validate(dir + "/110101_dropout_2022-autumn.csv")
        #expect(r.status == 1)
        #expect(firstError(r) == "E_HEADER")
    }

    @Test func twoHundredMegabyteValidFile() throws {
        let dir = Fixtures.tempDirectory("big")
        let path = dir + "/110101_after_school_2022-autumn.csv"
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var chunk = Samples.afterHeader + "\n"
        var written = 0
        var school = 1_111_000_000
        while written < 200 << 20 {
            chunk += "110101,\(school),北京市东城区第\(school % 1000)实验小学（本部）,primary,800,是,700,5,120,是\n"
            school += 1
            if chunk.utf8.count > 1 << 20 {
                written += chunk.utf8.count
                handle.write(chunk.data(using: .utf8)!)
                chunk = ""
            }
        }
        handle.write(chunk.data(using: .utf8)!)
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try validate(path)
        #expect(r.status == 0, "\(r.stdout.prefix(500))")
        #expect(r.stdout.contains("\"accepted\":1"))
    }

    @Test func validateASmallFileAnywhereWithTheShippedPlan() throws {
        let dir = Fixtures.tempDirectory("cwd")
        Fixtures.write(Array(Samples.csv(Samples.classHeader, ["110101,1111010001,primary,8,1-01,45"]).utf8),
                       to: dir + "/110101_class_size_2022-autumn.csv")
        let r = try BinaryRunner.run(["validate", "110101_class_size_2022-autumn.csv"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("110101_class_size_2022-autumn.csv:2: grade: E_RANGE: grade 8 is not a primary grade: primary classes are grades 1-6"))
        let usage = try BinaryRunner.run(["validate", "--format", "yaml", "x.csv"], in: dir)
        #expect(usage.status == 2)
        let badPlan = try BinaryRunner.run(["validate", "--pipeline", dir + "/missing.yaml", "x.csv"], in: dir)
        #expect(badPlan.status == 2)
        #expect(badPlan.stderr.contains("missing.yaml"))
    }
}
