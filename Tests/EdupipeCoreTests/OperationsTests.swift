import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import EdupipeOutput
@testable import EdupipeRun

/// `edupipe run`, `status`, `history` and `export` as an operator uses them: the lock
/// between runs, kills, logs and progress, through the release binary.
@Suite(.serialized, .enabled(if: optimizedBuild, "runs the release binary"))
struct OperationsTests {
    let env = ["EDUPIPE_KEY": String(repeating: "cd", count: 32)]
    let samples = Fixtures.packageRoot + "/samples/inbox"

    @Test func aSecondRunFailsFastOrWaitsForTheLock() throws {
        let out = Fixtures.tempDirectory("lock")
        let state = out + "/.s"
        var held: RunLock? = try RunLock(directory: state, wait: false, now: 1_670_000_000)
        let busy = try BinaryRunner.run(["run", "--inbox", samples, "--out", out, "--state", state], environment: env)
        #expect(busy.status == 4)
        #expect(busy.stderr.contains("another edupipe run (pid \(getpid()), started 2022-12-03 00:53:20 +08:00) is using the state folder"))
        #expect(!FileManager.default.fileExists(atPath: out + "/submissions.csv"))

        let result = LockedBox<BinaryRunner.Result?>(nil)
        let done = DispatchSemaphore(value: 0)
        let environment = env, inbox = samples
        Thread.detachNewThread {
            result.value = try? BinaryRunner.run(["run", "--inbox", inbox, "--out", out, "--state", state, "--wait", "--verbose"],
                                                 environment: environment)
            done.signal()
        }
        #expect(done.wait(timeout: .now() + .milliseconds(500)) == .timedOut, "a waiting run must not start while the lock is held")
        #expect(held != nil)
        held = nil
        #expect(done.wait(timeout: .now() + .seconds(60)) == .success)
        #expect(result.value?.status == 0)
        #expect(result.value?.stderr.contains("waiting for the run that holds") == true)
        #expect(FileManager.default.fileExists(atPath: out + "/submissions.csv"))
    }

    @Test func killedRunsLeaveAConsistentLedger() throws {
        let out = Fixtures.tempDirectory("kill-ledger")
        let state = out + "/.s"
        let inbox = RunCommandTests().bigInbox()
        setenv("EDUPIPE_KEY", env["EDUPIPE_KEY"]!, 1)
        for delay in [5_000, 40_000, 100_000, 200_000] as [useconds_t] {
            let pid = try BinaryRunner.start(["run", "--inbox", inbox, "--out", out, "--state", state, "--quiet"])
            usleep(delay)
            BinaryRunner.kill9(pid)
        }
        let again = try BinaryRunner.run(["run", "--inbox", inbox, "--out", out, "--state", state, "--quiet"], environment: env)
        #expect(again.status == 0)
        let ledger = try #require(try Ledger.existing(directory: state))
        #expect(try ledger.integrityCheck() == "ok")
        let runs = try ledger.runs(limit: 10)
        #expect(runs.first?.outcome == "completed")
        #expect(runs.dropFirst().allSatisfy { $0.outcome == "interrupted" || $0.outcome == "completed" })
        #expect(!runs.contains { $0.outcome == "running" })
        // Every file once, current, with the hash of its bytes.
        let files = try ledger.currentFiles()
        #expect(files.count == 300)
        #expect(Set(files.map(\.path)).count == 300)
        #expect(files.allSatisfy { $0.sha256.count == 64 && $0.status == .accepted })
        let history = try BinaryRunner.run(["history", "--state", state], environment: env)
        #expect(history.status == 0)
        #expect(history.stdout.contains("completed"))
    }

    @Test func statusAndHistoryCommands() throws {
        let out = Fixtures.tempDirectory("status")
        let state = out + "/.s"
        let none = try BinaryRunner.run(["status", "--state", state], environment: env)
        #expect(none.status == 1)
        #expect(none.stderr.contains("no run ledger in \(state)"))
        // Seen on 2023-01-02: every county that reported is late for 2022-autumn.
        var late = env
        late["EDUPIPE_NOW"] = "1672617600"
        let run = try BinaryRunner.run(["run", "--inbox", samples, "--out", out, "--state", state], environment: late)
        #expect(run.status == 0)
        #expect(run.stdout.contains("changes since the last run: 19 added, 0 changed, 0 gone, 1 superseded, 2 rejected"))
        #expect(run.stdout.contains("after_school: 4 of 2854 counties reported; 2850 have not; 4 late (deadline 2022-12-31)"))
        // After the deadline, missing counties are a warning on stderr.
        #expect(run.stderr.contains("edupipe: warning: 2022-autumn after_school: 2850 of 2854 counties have not reported, 4 reported late"))

        let text = try BinaryRunner.run(["status", "--state", state, "--period", "2022-autumn", "--province", "42"], environment: env)
        #expect(text.status == 0)
        #expect(text.stdout.contains(try Regex("420102 江岸区 +class_size +r2 +2023-01-02 08:00:00 \\+08:00 late +3  hubei/420102_class_size_2022-autumn_r2.csv")))
        let json = try BinaryRunner.run(["status", "--state", state, "--format", "json"], environment: env)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let periods = try #require(object?["periods"] as? [[String: Any]])
        #expect(periods.map { $0["period"] as? String } == ["2022-autumn", "2023-spring"])
        let provinces = try #require(periods[0]["provinces"] as? [[String: Any]])
        #expect(provinces.count == 31 * 3)
        let hubei = try #require(provinces.first { $0["province"] as? String == "420000" && $0["dataset"] as? String == "after_school" })
        #expect(hubei["reporting"] as? Int == 2 && hubei["on_time"] as? Int == 0)
        #expect(hubei["late"] as? [String] == ["420102", "429004"])
        let badProvince = try BinaryRunner.run(["status", "--state", state, "--province", "99"], environment: env)
        #expect(badProvince.status == 2)

        let history = try BinaryRunner.run(["history", "--state", state, "--format", "json"], environment: env)
        let runs = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]]
        #expect(runs?.count == 1 && runs?[0]["outcome"] as? String == "completed")
    }

    @Test func exportCommand() throws {
        let out = Fixtures.tempDirectory("export")
        let state = out + "/.s"
        let nothing = try BinaryRunner.run(["export", "--out", out], environment: env)
        #expect(nothing.status == 1)
        #expect(nothing.stderr.contains("holds no finished run"))
        let run = try BinaryRunner.run(["run", "--inbox", samples, "--out", out, "--state", state, "--quiet"], environment: env)
        #expect(run.status == 0)
        // Export takes the plan and registry the run names in run.json.
        let used = FinishedRun.planPaths(out: out)
        #expect(used.pipeline?.hasSuffix("/pipelines/basic-education-2022.yaml") == true)
        #expect(used.registry?.hasSuffix("/samples/registry/divisions.csv") == true)
        let built = try #require(FileManager.default.contents(atPath: out + "/2022-autumn/indicators.xlsx"))
        let to = out + "/again"
        let export = try BinaryRunner.run(["export", "--out", out, "--period", "2022-autumn", "--format", "xlsx", "csv", "--to", to], environment: env)
        #expect(export.status == 0)
        #expect(export.stdout.split(separator: "\n").count == 1 + WideCSV.names.count)
        #expect(FileManager.default.contents(atPath: to + "/2022-autumn/indicators.xlsx") == built)
        #expect(!FileManager.default.fileExists(atPath: to + "/2022-autumn/report.html"))
        let missing = try BinaryRunner.run(["export", "--out", out, "--period", "2024-spring"], environment: env)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("its periods are 2022-autumn, 2023-spring"))
        let bad = try BinaryRunner.run(["export", "--out", out, "--format", "pdf"], environment: env)
        #expect(bad.status == 2)
        let badPeriod = try BinaryRunner.run(["export", "--out", out, "--period", "autumn"], environment: env)
        #expect(badPeriod.status == 2)
    }

    @Test func logsAndProgress() throws {
        let out = Fixtures.tempDirectory("logs")
        let state = out + "/.s"
        let quiet = try BinaryRunner.run(["run", "--inbox", samples, "--out", out, "--state", state, "--quiet"], environment: env)
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty)
        let verbose = try BinaryRunner.run(["run", "--inbox", samples, "--out", out, "--state", state, "--verbose"], environment: env)
        #expect(verbose.stderr.contains("edupipe: hubei/420102_class_size_2022-autumn_r3.csv: rejected, 2 records, 1 errors, 0 warnings"))
        // Not a terminal: no progress line.
        #expect(!verbose.stderr.contains("\r") && !verbose.stderr.contains("\u{1B}"))
        let lines = try String(contentsOfFile: state + "/" + RunLogging.fileName, encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 4)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["time"] is String && object?["level"] is String && object?["message"] is String, "\(line)")
        }
        #expect(lines.filter { $0.contains("\"message\":\"run completed\"") }.count == 2)
        // Debug lines reach the file only with --verbose.
        #expect(lines.filter { $0.contains("\"level\":\"debug\"") }.count == 19)
        // No full student ID in any log line.
        let all = lines.joined()
        #expect(!all.contains("110101201005010012") && !all.contains("429004200801010048"))

        // On a terminal (script gives the run a pty), the progress line is drawn and cleared.
        let binary = try #require(BinaryRunner.binary)
        let tty = try BinaryRunner.runScript("\(binary) run --inbox \(samples) --out \(out) --state \(state) > /dev/null")
        #expect(tty.contains("\r\u{1B}[K"))
    }
}
