import Foundation
import Testing
@testable import EdupipeInput
@testable import EdupipeRun
@testable import EdupipeSynth

@Suite struct SynthTests {
    func files(_ root: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for path in try Inbox.list(root) { out[path] = FileManager.default.contents(atPath: root + "/" + path) }
        return out
    }

    @Test func sameSeedSameBytesAndEveryFileIsAccepted() throws {
        let forms: [SyntheticInbox.Form] = [.csv, .csvGz, .xml, .xmlGz]
        let a = Fixtures.tempDirectory("synth-a"), b = Fixtures.tempDirectory("synth-b")
        let made = try SyntheticInbox.write(.init(out: a, seed: 42, counties: 25, scale: 0.03, forms: forms, jobs: 1),
                                            registry: Fixtures.registry, config: Fixtures.config)
        _ = try SyntheticInbox.write(.init(out: b, seed: 42, counties: 25, scale: 0.03, forms: forms, jobs: 3),
                                     registry: Fixtures.registry, config: Fixtures.config)
        #expect(made.files == 75)
        let x = try files(a), y = try files(b)
        #expect(x.count == 75 && x == y)
        let other = Fixtures.tempDirectory("synth-c")
        _ = try SyntheticInbox.write(.init(out: other, seed: 43, counties: 25, scale: 0.03, forms: forms, jobs: 2),
                                     registry: Fixtures.registry, config: Fixtures.config)
        #expect(try files(other) != x)

        let out = Fixtures.tempDirectory("synth-out")
        let result = try NightlyRun(setup: Setup(config: Fixtures.config, registry: Fixtures.registry),
                                    options: RunOptions(inbox: a, out: out, jobs: 2, stateDirectory: out + "/.s",
                                                        environment: ["EDUPIPE_KEY": String(repeating: "01", count: 16)])).execute()
        #expect(result.submissions.allSatisfy { $0.status == .accepted }, "\(result.submissions.filter { $0.status != .accepted }.map(\.path))")
        // County 21 also lists the first child of county 20.
        #expect((result.duplicates["2022-autumn"]?.national ?? 0) >= 1)
        #expect(Set(x.keys.map { String($0.split(separator: ".", maxSplits: 1)[1]) }) == ["csv", "csv.gz", "xml", "xml.gz"])
    }
}

extension SynthTests {
    /// Several periods whose collections agree and drift a little: nothing
    /// flagged; with a share of counties broken on purpose, the checks find them.
    @Test func periodsThatAgreeAndCountiesBrokenOnPurpose() throws {
        func flags(breakShare: Double) throws -> [String] {
            let inbox = Fixtures.tempDirectory("synth-p")
            var o = SyntheticInbox.Options(out: inbox, seed: 7, provinces: ["42"], scale: 0.3, forms: [.csv], period: "2023-spring", jobs: 2)
            o.periods = 3
            o.breakShare = breakShare
            let made = try SyntheticInbox.write(o, registry: Fixtures.registry, config: Fixtures.config)
            #expect(made.files == 103 * 3 * 3)
            let out = Fixtures.tempDirectory("synth-p-out")
            _ = try NightlyRun(setup: Setup(config: Fixtures.config, registry: Fixtures.registry),
                               options: RunOptions(inbox: inbox, out: out, jobs: 2, stateDirectory: out + "/.s",
                                                   environment: ["EDUPIPE_KEY": String(repeating: "01", count: 16)])).execute()
            for period in ["2022-spring", "2022-autumn"] {
                let earlier = try String(contentsOfFile: out + "/\(period)/quality.csv", encoding: .utf8)
                #expect(!earlier.contains(",over_time,") && !earlier.contains(",related,"), "\(period): \(earlier)")
            }
            return try String(contentsOfFile: out + "/2023-spring/quality.csv", encoding: .utf8).split(separator: "\n").dropFirst().map(String.init)
        }
        let clean = try flags(breakShare: 0)
        #expect(!clean.contains { $0.contains(",over_time,") || $0.contains(",related,") }, "\(clean)")
        let broken = try flags(breakShare: 0.2)
        #expect(broken.contains { $0.contains(",over_time,") && $0.hasSuffix(",low") })
        #expect(broken.contains { $0.contains(",related,") && $0.hasSuffix(",high") })
    }
}
