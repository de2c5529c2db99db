import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import EdupipeSupport

/// `edupipe run` as cron runs it: exit statuses, and what a kill leaves.
@Suite(.serialized, .enabled(if: optimizedBuild, "runs the release binary"))
struct RunCommandTests {
    static let contract = ["submissions.csv", "errors.csv", "2022-autumn/indicators.csv"]
    let env = ["EDUPIPE_KEY": String(repeating: "cd", count: 32)]

    func read(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// An inbox big enough that a run takes a while: 300 class lists.
    func bigInbox() -> String {
        let root = Fixtures.tempDirectory("big-inbox")
        let counties = Array(Fixtures.registry.counties.prefix(300))
        for (n, county) in counties.enumerated() {
            var text = Samples.classHeader + "\n"
            for i in 0..<1500 {
                text += "\(county),\(1_000_000_000 + n * 100 + i % 90),primary,\(1 + i % 6),c\(i),\(30 + (i * 7) % 40)\n"
            }
            Fixtures.write(Fixtures.gzip(text), to: root + "/\(county)_class_size_2022-autumn.csv.gz")
        }
        return root
    }

    @Test func exitStatuses() throws {
        let inbox = Fixtures.packageRoot + "/samples/inbox"
        let out = Fixtures.tempDirectory("run")
        let ok = try BinaryRunner.run(["run", "--inbox", inbox, "--out", out, "--state", out + "/.s"], environment: env)
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("edupipe run: 19 files: 15 accepted, 1 superseded, 2 rejected, 1 duplicate"))
        let strict = try BinaryRunner.run(["run", "--inbox", inbox, "--out", out, "--state", out + "/.s", "--strict", "--quiet"], environment: env)
        #expect(strict.status == 3)
        #expect(strict.stdout.isEmpty)
        let noInbox = try BinaryRunner.run(["run", "--inbox", out + "/missing", "--out", out, "--state", out + "/.s"], environment: env)
        #expect(noInbox.status == 1)
        #expect(noInbox.stderr.contains("missing"))
        let badPlan = try BinaryRunner.run(["run", "--inbox", inbox, "--out", out, "--pipeline", inbox + "/beijing/110102_class_size_2022-autumn.csv"], environment: env)
        // A plan that is wrong is a configuration error, with its place.
        #expect(badPlan.status == 2)
        #expect(badPlan.stderr.contains("110102_class_size_2022-autumn.csv:1:"))
        let usage = try BinaryRunner.run(["run", "--inbox", inbox], environment: env)
        #expect(usage.status == 2)
        let badPeriod = try BinaryRunner.run(["run", "--inbox", inbox, "--out", out, "--period", "2022"], environment: env)
        #expect(badPeriod.status == 2)
    }

    @Test func aKilledRunLeavesWholeFilesOnly() throws {
        // Earlier outputs, from another inbox.
        let out = Fixtures.tempDirectory("kill")
        let before = try BinaryRunner.run(["run", "--inbox", Fixtures.packageRoot + "/samples/inbox", "--out", out,
                                           "--state", out + "/.s", "--quiet"], environment: env)
        #expect(before.status == 0)
        let old = Self.contract.map { read(out + "/" + $0) }

        let inbox = bigInbox()
        let reference = Fixtures.tempDirectory("ref")
        let clean = try BinaryRunner.run(["run", "--inbox", inbox, "--out", reference, "--state", out + "/.s", "--quiet"], environment: env)
        #expect(clean.status == 0)
        let new = Self.contract.map { read(reference + "/" + $0) }

        setenv("EDUPIPE_KEY", env["EDUPIPE_KEY"]!, 1)
        for delay in [2_000, 20_000, 60_000, 120_000, 250_000] as [useconds_t] {
            let pid = try BinaryRunner.start(["run", "--inbox", inbox, "--out", out, "--state", out + "/.s", "--quiet"])
            usleep(delay)
            BinaryRunner.kill9(pid)
            for (i, file) in Self.contract.enumerated() {
                let now = read(out + "/" + file)
                #expect(now == old[i] || now == new[i], "\(file) after a kill at \(delay) µs is neither the old nor the new version")
            }
        }
        // The next run finishes the work and clears what the killed ones left.
        let again = try BinaryRunner.run(["run", "--inbox", inbox, "--out", out, "--state", out + "/.s", "--quiet"], environment: env)
        #expect(again.status == 0)
        for (i, file) in Self.contract.enumerated() { #expect(read(out + "/" + file) == new[i], "\(file)") }
        let left = try FileManager.default.subpathsOfDirectory(atPath: out).filter { $0.contains(AtomicFile.temporaryMarker) }
        #expect(left.isEmpty, "left behind: \(left)")
    }
}
