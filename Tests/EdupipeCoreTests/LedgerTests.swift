import Foundation
import Testing
@testable import EdupipeRun
@testable import EdupipeSupport
@testable import EdupipeOutput

/// The run ledger: runs, file versions, changes, timeliness and the lock.
@Suite struct LedgerTests {
    static let key = String(repeating: "ab", count: 32)
    /// 2022-12-31 23:59:59 +08:00, the last second of the 2022-autumn deadline day.
    static let lastOnTimeSecond: Int64 = 1_672_502_399

    struct Place {
        let inbox: String
        let out: String
        var state: String { out + "/.state" }
    }

    func place() -> Place { Place(inbox: HandInbox.make(), out: Fixtures.tempDirectory("ledger")) }

    @discardableResult
    func run(_ p: Place, at now: Int64, wait: Bool = false) throws -> NightlyRun.Result {
        var options = RunOptions(inbox: p.inbox, out: p.out, jobs: 2, stateDirectory: p.state,
                                 environment: ["EDUPIPE_KEY": Self.key, "EDUPIPE_NOW": String(now)])
        options.wait = wait
        let setup = Setup(config: Fixtures.config, registry: Fixtures.registry,
                          pipelinePath: Fixtures.packageRoot + "/pipelines/basic-education-2022.yaml",
                          registryPath: Fixtures.packageRoot + "/samples/registry/divisions.csv")
        return try NightlyRun(setup: setup, options: options).execute()
    }

    func sha256sum(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        p.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return String(out.prefix(64))
    }

    @Test func aRunWhoseContractFilesFailIsNotRecordedCompleted() throws {
        let p = place()
        // A folder where submissions.csv goes: its rename must fail, while
        // the ledger has already recorded the files in its open transaction.
        try FileManager.default.createDirectory(atPath: p.out + "/submissions.csv", withIntermediateDirectories: true)
        let error = failure { try run(p, at: 1_670_000_000) }
        #expect(error?.code == .io)
        #expect(error?.description.contains("submissions.csv") == true)
        let ledger = try #require(try Ledger.existing(directory: p.state))
        let failed = try #require(try ledger.runs(limit: 1).first)
        #expect(failed.outcome == "failed")
        #expect(failed.message?.contains("submissions.csv") == true)
        // Rolled back: no file was seen by a run that did not complete.
        #expect(try ledger.currentFiles().isEmpty)

        try FileManager.default.removeItem(atPath: p.out + "/submissions.csv")
        let result = try run(p, at: 1_670_000_100)
        #expect(try ledger.runs(limit: 1).first?.outcome == "completed")
        let files = try ledger.currentFiles()
        #expect(files.count == 17 && files.allSatisfy { $0.firstSeen == 1_670_000_100 })
        // Who has reported, read inside the closing transaction, is what
        // the ledger says afterwards.
        let period = try #require(result.reporting.first?.period)
        let after = try ledger.reportingStatus(period: period, registry: Fixtures.registry, datasets: Fixtures.config.datasets, deadlines: Fixtures.config.deadlines)
        #expect(result.reporting.first?.provinces == after.provinces)
        // The run keeps the provinces' counts only; `status` lists the counties.
        #expect(result.reporting.first?.counties.isEmpty == true && !after.counties.isEmpty)
    }

    @Test func aRunRecordsEveryFileWithItsHash() throws {
        let p = place()
        let result = try run(p, at: 1_670_000_000)
        let ledger = try #require(try Ledger.existing(directory: p.state))
        let runs = try ledger.runs(limit: 5)
        #expect(runs.count == 1)
        #expect(runs[0].outcome == "completed")
        #expect(runs[0].files == 17)
        #expect(runs[0].statuses.map(\.1) == [10, 1, 1, 5])
        #expect(runs[0].registrySHA256 == (try sha256sum(Fixtures.packageRoot + "/samples/registry/divisions.csv")))
        let files = try ledger.currentFiles()
        #expect(files.map(\.path) == result.submissions.map(\.path))
        for f in files {
            #expect(f.sha256 == (try sha256sum(p.inbox + "/" + f.path)), "\(f.path)")
            #expect(f.firstSeen == 1_670_000_000 && f.firstRun == runs[0].id && f.goneAt == nil)
        }
        let gz = try #require(files.first { $0.path == "hubei/429004_after_school_2022-autumn.csv.gz" })
        #expect(gz.size == (try FileManager.default.attributesOfItem(atPath: p.inbox + "/" + gz.path)[.size] as? Int))
        #expect(gz.status == .accepted && gz.records == 1 && gz.county == "429004" && gz.revision == 1)
        let conflict = try #require(files.first { $0.path == "hubei/420103_class_size_2022-autumn.csv" })
        #expect(conflict.status == .rejected && conflict.firstError == "E_REVISION_CONFLICT")
        // The first run adds everything.
        #expect(try ledger.changes(run: runs[0].id).filter { $0.kind == .added }.count == 17)
    }

    @Test func runJSONTracesTheTablesToTheirInputs() throws {
        let p = place()
        let result = try run(p, at: 1_670_000_000)
        let data = try #require(FileManager.default.contents(atPath: p.out + "/run.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["run"] as? Int == 1)
        #expect(json["started_at"] as? String == "2022-12-03T00:53:20+08:00")
        #expect((json["periods"] as? [String]) == ["2022-autumn", "2023-spring"])
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs.count == result.submissions.count)
        let r2 = try #require(inputs.first { $0["path"] as? String == "hubei/420102_class_size_2022-autumn_r2.csv" })
        #expect(r2["status"] as? String == "accepted")
        #expect(r2["sha256"] as? String == (try sha256sum(p.inbox + "/hubei/420102_class_size_2022-autumn_r2.csv")))
        #expect(r2["revision"] as? Int == 2)
    }

    @Test func newBytesUnderTheSameNameAreANewVersionAndRemovedFilesAreGone() throws {
        let p = place()
        try run(p, at: 1_670_000_000)
        let changed = "hubei/420102_after_school_2022-autumn.csv"
        let removed = "beijing/110101_dropout_2022-autumn.xml"
        Fixtures.write(Array(Samples.csv(Samples.afterHeader, ["420102,1142010001,江岸区实验小学,primary,100,Y,90,5,120,Y"]).utf8),
                       to: p.inbox + "/" + changed)
        try FileManager.default.removeItem(atPath: p.inbox + "/" + removed)
        let second = try run(p, at: 1_670_086_400)
        let ledger = try #require(try Ledger.existing(directory: p.state))

        let versions = try ledger.versions(path: changed)
        #expect(versions.count == 2)
        #expect(versions[0].goneAt == 1_670_086_400 && versions[0].firstSeen == 1_670_000_000)
        #expect(versions[1].goneAt == nil && versions[1].firstSeen == 1_670_086_400 && versions[1].firstRun == 2)
        #expect(versions[0].sha256 != versions[1].sha256)
        let gone = try ledger.versions(path: removed)
        #expect(gone.count == 1 && gone[0].goneAt == 1_670_086_400)
        #expect(try !ledger.currentFiles().contains { $0.path == removed })

        #expect(second.changes == [
            LedgerChange(path: removed, kind: .gone, detail: nil),
            LedgerChange(path: changed, kind: .changed, detail: "sha256 \(versions[1].sha256.prefix(12))…, \(versions[1].size) bytes"),
        ])
        // Unchanged files keep their first sighting.
        let kept = try #require(try ledger.currentFiles().first { $0.path == "hubei/429004_dropout_2022-autumn.csv" })
        #expect(kept.firstSeen == 1_670_000_000 && kept.lastSeen == 1_670_086_400 && kept.lastRun == 2)
    }

    /// The run reads the ledger's current versions in path order beside the
    /// inbox's files: a file that sorts first and one that sorts last are
    /// added, one in between is gone, and bytes that come back are their
    /// earlier version again, not a third one.
    @Test func versionsMergeInPathOrderAndEarlierBytesComeBack() throws {
        let p = place()
        let changed = "hubei/420102_after_school_2022-autumn.csv"
        let original = try #require(FileManager.default.contents(atPath: p.inbox + "/" + changed))
        try run(p, at: 1_670_000_000)
        Fixtures.write(Array(Samples.csv(Samples.afterHeader, ["420102,1142010001,江岸区实验小学,primary,100,Y,90,5,120,Y"]).utf8),
                       to: p.inbox + "/" + changed)
        try run(p, at: 1_670_086_400)
        let first = "0/notes.txt", last = "zz/notes.txt", removed = "beijing/110101_dropout_2022-autumn.xml"
        Fixtures.write(Array("a".utf8), to: p.inbox + "/" + first)
        Fixtures.write(Array("z".utf8), to: p.inbox + "/" + last)
        try FileManager.default.removeItem(atPath: p.inbox + "/" + removed)
        Fixtures.write(Array(original), to: p.inbox + "/" + changed)
        let third = try run(p, at: 1_670_172_800)
        let ledger = try #require(try Ledger.existing(directory: p.state))
        let versions = try ledger.versions(path: changed)
        #expect(versions.count == 2)
        #expect(versions[0].goneAt == nil && versions[0].firstSeen == 1_670_000_000 && versions[0].lastRun == 3)
        #expect(versions[1].goneAt == 1_670_172_800)
        // (The notes are not submissions: added, and rejected.)
        #expect(third.changes.map(\.path) == [first, first, removed, changed, last, last])
        #expect(third.changes.map(\.kind) == [.added, .rejected, .gone, .changed, .added, .rejected])
        let current = try ledger.currentFiles().map(\.path)
        #expect(current.contains(first) && current.contains(last) && !current.contains(removed))
        #expect(current.filter { $0 == changed }.count == 1)
    }

    @Test func lateAndMissingCountiesAgainstTheDeadline() throws {
        let p = place()
        // Everything in the hand inbox arrives in the last second of the deadline day.
        try run(p, at: Self.lastOnTimeSecond)
        // Then 420103's class list is corrected and 420104 reports, one second late.
        try FileManager.default.removeItem(atPath: p.inbox + "/hubei/420103_class_size_2022-autumn.csv.gz")
        Fixtures.write(Array(Samples.csv(Samples.afterHeader, ["420104,1142010401,硚口区小学,primary,80,Y,60,5,120,Y"]).utf8),
                       to: p.inbox + "/hubei/420104_after_school_2022-autumn.csv")
        let result = try run(p, at: Self.lastOnTimeSecond + 1)
        let status = try #require(result.reporting.first { $0.period == "2022-autumn" })
        #expect(status.deadline == "2022-12-31")
        let hubei = status.provinces.filter { $0.province == "420000" }
        let expected = Fixtures.registry.counties.filter { Fixtures.registry.province(of: $0) == "420000" }.count
        // after_school: 420102, 420103, 429004 on time, 420104 late.
        #expect(hubei[0].dataset == .afterSchool && hubei[0].expected == expected && hubei[0].reporting == 4)
        #expect(hubei[0].late == ["420104"])
        #expect(!hubei[0].missing.contains("420104") && hubei[0].missing.contains("420105"))
        // class_size: 420103's file was rejected at the deadline (a revision conflict with the
        // .csv.gz), but its bytes were there in time: now accepted, it counts as on time.
        #expect(hubei[2].dataset == .classSize && hubei[2].reporting == 3 && hubei[2].late.isEmpty)
        // The county rows, as `status` reads them from the ledger.
        let ledger = try #require(try Ledger.existing(directory: p.state))
        let listed = try ledger.reportingStatus(period: "2022-autumn", registry: Fixtures.registry, datasets: Fixtures.config.datasets,
                                                deadlines: Fixtures.config.deadlines)
        let county = try #require(listed.counties.first { $0.county == "420102" && $0.dataset == .classSize })
        #expect(county.revision == 2 && county.records == 3 && !county.late && county.arrivedAt == Self.lastOnTimeSecond)
        #expect(county.path == "hubei/420102_class_size_2022-autumn_r2.csv")
        // Beijing reported after_school and dropout only.
        let beijing = status.provinces.filter { $0.province == "110000" }
        #expect(beijing.map(\.reporting) == [1, 1, 0] && beijing.allSatisfy { $0.late.isEmpty })

        let text = StatusReport.text([status], run: nil, registry: Fixtures.registry, countyDetail: false)
        #expect(text.contains("period 2022-autumn: deadline 2022-12-31"))
        // Columns as wide as their widest cell (display width).
        #expect(text.contains(try Regex("\n420000 湖北省 +after_school +4/\(expected)  ")))
        let lines = text.split(separator: "\n").filter { $0.contains("after_school") && $0.first?.isNumber == true }
        #expect(Set(lines.map { displayWidth(String($0[..<$0.range(of: "after_school")!.lowerBound])) }).count == 1)
        let summary = RunSummary.text(result, registry: Fixtures.registry, datasets: Fixtures.config.datasets, out: p.out)
        #expect(summary.contains("after_school: 5 of 2854 counties reported; 2849 have not; 1 late (deadline 2022-12-31)"))
        let chinese = RunSummary.text(result, registry: Fixtures.registry, datasets: Fixtures.config.datasets, out: p.out, language: .zh)
        #expect(chinese.contains("after_school：2854 个县中 5 个已报送，2849 个未报送，1 个逾期（截止 2022-12-31）"))
        let statusText = StatusReport.text([status], run: nil, registry: Fixtures.registry, countyDetail: false, language: .zh)
        #expect(statusText.contains("学期 2022-autumn：截止日期 2022-12-31") && statusText.contains("省份"))
    }

    @Test func historyAfterThreeRuns() throws {
        let p = place()
        try run(p, at: 1_670_000_000)
        Fixtures.write(Array(Samples.csv(Samples.classHeader, ["420102,1142010001,primary,1,1-01,41"]).utf8),
                       to: p.inbox + "/hubei/420102_class_size_2022-autumn_r4.csv")
        try run(p, at: 1_670_000_100)
        try FileManager.default.removeItem(atPath: p.inbox + "/beijing/notes.txt")
        try run(p, at: 1_670_000_200)
        let ledger = try #require(try Ledger.existing(directory: p.state))
        let runs = try ledger.runs(limit: 10)
        #expect(runs.map(\.id) == [3, 2, 1])
        #expect(runs.allSatisfy { $0.outcome == "completed" })
        #expect(runs.map(\.files) == [17, 18, 17])
        // Run 2: r4 is added and takes over from r2, which becomes superseded.
        #expect(try ledger.changes(run: 2) == [
            LedgerChange(path: "hubei/420102_class_size_2022-autumn_r2.csv", kind: .superseded, detail: nil),
            LedgerChange(path: "hubei/420102_class_size_2022-autumn_r4.csv", kind: .added,
                         detail: try ledger.changes(run: 2).first { $0.kind == .added }?.detail),
        ])
        #expect(try ledger.changes(run: 3) == [LedgerChange(path: "beijing/notes.txt", kind: .gone, detail: nil)])
        let text = HistoryReport.text(try runs.map { ($0, try ledger.changes(run: $0.id)) })
        #expect(text.contains("changes: 0 added, 0 changed, 1 gone, 0 superseded, 0 rejected"))
        #expect(text.contains("gone: beijing/notes.txt"))
        #expect(text.contains("superseded: hubei/420102_class_size_2022-autumn_r2.csv"))
        let json = try JSONSerialization.jsonObject(with: Data(HistoryReport.json(try runs.map { ($0, try ledger.changes(run: $0.id)) }).utf8)) as? [[String: Any]]
        #expect((json?[1]["changes"] as? [String: [String]])?["added"] == ["hubei/420102_class_size_2022-autumn_r4.csv"])
    }

    @Test func aRunThatNeverFinishedIsMarkedInterrupted() throws {
        let p = place()
        try run(p, at: 1_670_000_000)
        let ledger = try Ledger(directory: p.state)
        let dead = try ledger.beginRun(LedgerRunStart(startedAt: 1_670_000_050, pid: 1, inbox: p.inbox, out: p.out))
        try run(p, at: 1_670_000_100)
        let runs = try ledger.runs(limit: 5)
        #expect(runs.map(\.outcome) == ["completed", "interrupted", "completed"])
        #expect(runs[1].id == dead)
        // Nothing was lost or doubled by the dead run.
        #expect(try ledger.currentFiles().count == 17)
        #expect(try ledger.changes(run: runs[0].id).isEmpty)
    }

    @Test func aSecondRunOnTheSameStateFailsAtOnceOrWaits() throws {
        let p = place()
        try run(p, at: 1_670_000_000)
        var held: RunLock? = try RunLock(directory: p.state, wait: false, now: 1_670_000_000)
        #expect(failure { try run(p, at: 1_670_000_001) }?.code == .busy)
        do {
            _ = try run(p, at: 1_670_000_001)
        } catch {
            #expect("\(error)".contains("another edupipe run (pid \(getpid()), started 2022-12-03 00:53:20 +08:00)"))
            #expect("\(error)".contains("--wait"))
        }
        // With --wait, the run starts when the lock is released.
        let done = DispatchSemaphore(value: 0)
        let place = p
        let finished = LockedBox<Int64?>(nil)
        Thread.detachNewThread {
            finished.value = try? run(place, at: 1_670_000_002, wait: true).runID
            done.signal()
        }
        #expect(done.wait(timeout: .now() + .milliseconds(300)) == .timedOut)
        #expect(held != nil)
        held = nil
        #expect(done.wait(timeout: .now() + .seconds(30)) == .success)
        #expect(finished.value == 2)
    }

    @Test func ledgerTimes() {
        #expect(LedgerTime.endOfDay("2022-12-31") == Self.lastOnTimeSecond + 1)
        #expect(LedgerTime.text(Self.lastOnTimeSecond) == "2022-12-31 23:59:59 +08:00")
        #expect(LedgerTime.iso(0) == "1970-01-01T08:00:00+08:00")
        #expect(LedgerTime.text(951_782_400) == "2000-02-29 08:00:00 +08:00")
        #expect(LedgerTime.endOfDay("2022-13-01") == nil)
        #expect(LedgerTime.now(environment: ["EDUPIPE_NOW": "42"]) == 42)
    }

    @Test func progressLine() {
        #expect(ProgressCounter.line(files: 250, total: 1000, bytes: 12_340_000, elapsed: 2) ==
                "files 250/1000 · 12.3 MB read at 6.2 MB/s · about 6 s left")
        #expect(ProgressCounter.line(files: 1000, total: 1000, bytes: 0, elapsed: 0) == "files 1000/1000 · 0.0 MB read")
    }
}

/// A value shared with a test thread.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: T
    init(_ value: T) { _value = value }
    var value: T {
        get { lock.withLock { _value } }
        set { lock.withLock { _value = newValue } }
    }
}
