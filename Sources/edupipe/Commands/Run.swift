import ArgumentParser
import EdupipeCore
#if canImport(Glibc)
import Glibc
#endif

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The nightly job: validate the inbox, apply the acceptance rules, write indicator tables.",
        discussion: """
        Exit status: 0 the run completed (rejected files are data, reported); 1 it could not \
        (unreadable inbox, bad configuration, unwritable output); 3 with --strict when any file was rejected.
        """
    )

    @Option(help: "The inbox folder, read recursively and never modified.")
    var inbox: String

    @Option(help: "The output folder.")
    var out: String

    @OptionGroup var plan: PlanOptions

    @Option(help: "Write the indicator table of this period only (YYYY-spring or YYYY-autumn).")
    var period: String?

    @Option(help: "Files read at once (default: the number of cores).")
    var jobs: Int = WorkerPool.coreCount

    @Option(help: "State folder: the key of the student hashes (default: .edupipe in the working directory).")
    var state: String = ".edupipe"

    @Flag(help: "Exit with status 3 when any file was rejected.")
    var strict = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let period, !SubmissionName.isPeriod(period) {
            throw ValidationError("--period must be YYYY-spring or YYYY-autumn, e.g. 2022-autumn")
        }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let setup = plan.loadOrExit(status: 1)
        var environment: [String: String] = [:]
        if let key = getenv("EDUPIPE_KEY") { environment["EDUPIPE_KEY"] = String(cString: key) }
        let options = RunOptions(inbox: inbox, out: out, period: period, jobs: jobs,
                                 stateDirectory: state, environment: environment)
        let result: NightlyRun.Result
        do {
            result = try NightlyRun(setup: setup, options: options).execute()
        } catch {
            FileHandle.standardError.write("edupipe: the run could not complete: \(error)\n")
            Glibc.exit(1)
        }
        if !quiet {
            FileHandle.standardOutput.write(RunSummary.text(result, registry: setup.registry, out: out))
        }
        if strict && result.submissions.contains(where: { $0.status == .rejected }) { Glibc.exit(3) }
    }
}
