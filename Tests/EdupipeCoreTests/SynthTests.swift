@testable import EdupipeCore
import Foundation
import Testing

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
                                            registry: Fixtures.registry)
        _ = try SyntheticInbox.write(.init(out: b, seed: 42, counties: 25, scale: 0.03, forms: forms, jobs: 3),
                                     registry: Fixtures.registry)
        #expect(made.files == 75)
        let x = try files(a), y = try files(b)
        #expect(x.count == 75 && x == y)
        let other = Fixtures.tempDirectory("synth-c")
        _ = try SyntheticInbox.write(.init(out: other, seed: 43, counties: 25, scale: 0.03, forms: forms, jobs: 2),
                                     registry: Fixtures.registry)
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
