import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import EdupipeRun
import EdupipeInput

/// Hostile input against the release binary: what a whole run does with
/// files that crash it, folders that overlap, outputs another run holds,
/// and children's IDs in places nobody expected.
@Suite(.serialized, .enabled(if: optimizedBuild, "runs the release binary"))
struct HostileRunTests {
    let env = ["EDUPIPE_KEY": String(repeating: "cd", count: 32)]
    static let id = HostileInputTests.id

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    func smallInbox() -> String {
        let inbox = Fixtures.tempDirectory("hostile-inbox")
        Fixtures.write(Array(Samples.csv(Samples.classHeader, ["110101,1111010001,primary,1,1-01,45"]).utf8),
                       to: inbox + "/beijing/110101_class_size_2022-autumn.csv")
        Fixtures.write(Array(Samples.csv(Samples.classHeader, ["420102,1142010001,primary,1,1-01,45"]).utf8),
                       to: inbox + "/hubei/420102_class_size_2022-autumn.csv")
        return inbox
    }

    /// Finding "the night survives a file that still crashes": a run dies on
    /// a file (the test-only failpoint), the next one checks that file in a
    /// child, sets it aside as E_READER_CRASH and completes; once the file no
    /// longer crashes, it is read as usual.
    @Test func aFileThatCrashesTheRunIsSetAsideTheNextNight() throws {
        let inbox = smallInbox()
        let out = Fixtures.tempDirectory("crash")
        let crash = env.merging(["EDUPIPE_FAILPOINT": "crash:420102_class_size"]) { $1 }
        let args = ["run", "--inbox", inbox, "--out", out + "/out", "--state", out + "/state", "--quiet", "--jobs", "1"]
        let first = try BinaryRunner.run(args, environment: crash)
        #expect(first.signal == SIGSEGV)
        #expect(read(out + "/out/submissions.csv") == nil)
        #expect(FileManager.default.fileExists(atPath: out + "/state/" + InHandJournal.fileName))

        let second = try BinaryRunner.run(args, environment: crash)
        #expect(second.status == 0, "\(second.stderr)")
        let submissions = try #require(read(out + "/out/submissions.csv"))
        #expect(submissions.contains("hubei/420102_class_size_2022-autumn.csv,420102,class_size,2022-autumn,1,rejected,0,1,0,E_READER_CRASH"))
        #expect(submissions.contains("beijing/110101_class_size_2022-autumn.csv,110101,class_size,2022-autumn,1,accepted,1,0,0,"))
        #expect(!FileManager.default.fileExists(atPath: out + "/state/" + InHandJournal.fileName))

        let third = try BinaryRunner.run(args, environment: env)
        #expect(third.status == 0)
        #expect(read(out + "/out/submissions.csv")?.contains("hubei/420102_class_size_2022-autumn.csv,420102,class_size,2022-autumn,1,accepted,1,0,0,") == true)
    }

    /// A file that hangs the reader: the run is killed (as an operator or a
    /// timer would), and the next run's check gives up on the file after its
    /// time limit and sets it aside.
    @Test func aFileThatHangsTheCheckIsSetAsideToo() throws {
        let inbox = smallInbox()
        let out = Fixtures.tempDirectory("hang")
        let args = ["run", "--inbox", inbox, "--out", out + "/out", "--state", out + "/state", "--quiet", "--jobs", "1"]
        let hang = env.merging(["EDUPIPE_FAILPOINT": "hang:420102_class_size"]) { $1 }
        let pid = try BinaryRunner.start(args, environment: hang)
        // Wait until the run holds the file, then kill it.
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: out + "/state/" + InHandJournal.fileName) { usleep(20_000) }
        usleep(200_000)
        BinaryRunner.kill9(pid)
        let second = try BinaryRunner.run(args, environment: hang.merging(["EDUPIPE_CHECK_SECONDS": "1"]) { $1 })
        #expect(second.status == 0, "\(second.stderr)")
        let submissions = try #require(read(out + "/out/submissions.csv"))
        #expect(submissions.contains("hubei/420102_class_size_2022-autumn.csv,420102,class_size,2022-autumn,1,rejected,0,1,0,E_READER_CRASH"))
        #expect(read(out + "/out/errors.csv")?.contains("did not end in an earlier run, nor in 1 seconds") == true)
    }

    @Test func foldersThatOverlapAreAUsageError() throws {
        let inbox = smallInbox()
        let inside = try BinaryRunner.run(["run", "--inbox", inbox, "--out", inbox + "/out"], environment: env)
        #expect(inside.status == 2)
        #expect(inside.stderr.contains("--out \(inbox)/out is inside the inbox"))
        #expect(!FileManager.default.fileExists(atPath: inbox + "/out"))
        let state = try BinaryRunner.run(["run", "--inbox", inbox, "--out", Fixtures.tempDirectory("o"), "--state", inbox + "/beijing/.s"], environment: env)
        #expect(state.status == 2)
        let folder = try BinaryRunner.run(["validate", inbox], environment: env)
        #expect(folder.status == 2)
        #expect(folder.stderr.contains("is a folder"))
    }

    @Test func anOutputFolderInUseIsNotWrittenByASecondRun() throws {
        let out = Fixtures.tempDirectory("held")
        let held = try RunLock(directory: out, fileName: RunLock.outputFileName, kind: "output folder", wait: false, now: 0)
        let second = try BinaryRunner.run(["run", "--inbox", smallInbox(), "--out", out, "--state", Fixtures.tempDirectory("s2")], environment: env)
        withExtendedLifetime(held) {}
        #expect(second.status == 4)
        #expect(second.stderr.contains("is using the output folder"))
        #expect(read(out + "/submissions.csv") == nil)
    }

    @Test func tablesOfPeriodsNoLongerInTheInboxAreRemoved() throws {
        let out = Fixtures.tempDirectory("stale")
        let state = out + "/.s"
        let samples = try BinaryRunner.run(["run", "--inbox", Fixtures.packageRoot + "/samples/inbox", "--out", out, "--state", state, "--quiet"], environment: env)
        #expect(samples.status == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/2023-spring/indicators.csv"))
        let autumn = try BinaryRunner.run(["run", "--inbox", smallInbox(), "--out", out, "--state", state, "--quiet"], environment: env)
        #expect(autumn.status == 0)
        #expect(!FileManager.default.fileExists(atPath: out + "/2023-spring"))
        #expect(FileManager.default.fileExists(atPath: out + "/2022-autumn/indicators.csv"))
        let empty = try BinaryRunner.run(["run", "--inbox", Fixtures.tempDirectory("empty"), "--out", out, "--state", state, "--quiet"], environment: env)
        #expect(empty.status == 0)
        #expect(!FileManager.default.fileExists(atPath: out + "/2022-autumn"))
        #expect(read(out + "/submissions.csv") == "file,county,dataset,period,revision,status,records,errors,warnings,first_error\n")
    }

    /// No full ID in any output, log or message, wherever the file put it;
    /// nothing of libxml2's on stderr.
    @Test func noFullIDAnywhereAndNothingOfLibxml2Printed() throws {
        let inbox = Fixtures.tempDirectory("ids")
        Fixtures.write(Array("110101,\(Self.id),,5,2022-09-01,out,,economic\n".utf8), to: inbox + "/110101_dropout_2022-autumn.csv")
        Fixtures.write(Array(Samples.csv(Samples.dropoutHeader, ["110102,11010120050101005X,\(Self.id),5,2022-09-01,out,,"]).utf8),
                       to: inbox + "/110102_dropout_2022-autumn.csv")
        Fixtures.write(Array(Samples.csv(Samples.classHeader, ["110101,1111010001,primary,1,1-01,45"]).utf8),
                       to: inbox + "/\(Self.id)/110105_class_size_2022-autumn.csv")
        Fixtures.write(Fixtures.gb18030(Samples.xml("class_size", county: "110106", encoding: "GBK", HostileInputTests.classRecords(3, county: "110106"))) + [0xFF],
                       to: inbox + "/110106_class_size_2022-autumn.xml")
        let out = Fixtures.tempDirectory("ids-out")
        let run = try BinaryRunner.run(["run", "--inbox", inbox, "--out", out, "--state", out + "/.s", "--verbose"], environment: env)
        #expect(run.status == 0)
        let validate = try BinaryRunner.run(["validate", inbox + "/110101_dropout_2022-autumn.csv", inbox + "/110102_dropout_2022-autumn.csv",
                                             inbox + "/110106_class_size_2022-autumn.xml"], environment: env)
        #expect(validate.status == 1)
        #expect(validate.stderr.isEmpty, "printed: \(validate.stderr)")
        #expect(validate.stdout.contains("110106_class_size_2022-autumn.xml:7: -: E_ENCODING"))
        var everything = run.stdout + run.stderr + validate.stdout
        for file in try FileManager.default.subpathsOfDirectory(atPath: out) {
            if let text = read(out + "/" + file), !file.hasSuffix(".sqlite") { everything += text }
        }
        #expect(everything.contains("110101********0017"))
        #expect(!everything.contains(Self.id))
        #expect(!everything.contains("encoding error"))
    }
}

/// The in-hand journal's slots: a path is whole or absent whatever the
/// order of takes and releases, the zero written first only when the slot's
/// last release was not.
@Suite struct InHandJournalTests {
    @Test func slotsHoldTheFileInHandAndNothingOnceReleased() throws {
        let dir = Fixtures.tempDirectory("journal")
        let journal = try #require(InHandJournal(directory: dir, workers: 2))
        #expect(InHandJournal.leftOver(directory: dir).isEmpty)
        journal.take(0, RawPath("inbox/a-rather-long-name_class_size_2022-autumn.csv"))
        journal.take(1, RawPath("inbox/b.csv"))
        #expect(InHandJournal.leftOver(directory: dir).map(\.display) == ["inbox/a-rather-long-name_class_size_2022-autumn.csv", "inbox/b.csv"])
        // Taken again without a release: the shorter path replaces the longer whole.
        journal.take(0, RawPath("inbox/c.csv"))
        #expect(InHandJournal.leftOver(directory: dir).map(\.display) == ["inbox/c.csv", "inbox/b.csv"])
        journal.release(0)
        #expect(InHandJournal.leftOver(directory: dir).map(\.display) == ["inbox/b.csv"])
        journal.take(0, RawPath("inbox/d.csv"))
        journal.release(1)
        #expect(InHandJournal.leftOver(directory: dir).map(\.display) == ["inbox/d.csv"])
        journal.remove()
        #expect(InHandJournal.leftOver(directory: dir).isEmpty)
    }
}
