import ArgumentParser
import Logging
#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport
import EdupipeInput
import EdupipeRun

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The nightly job: validate the inbox, apply the acceptance rules, write indicator tables.",
        discussion: """
        Exit status: 0 the run completed (rejected files are data, reported); 1 it could not \
        (unreadable inbox, bad configuration, unwritable output); 2 usage error; 3 with --strict when any \
        file was rejected; 4 another run holds the state folder (see --wait).
        """
    )

    @Option(help: "The inbox folder, read recursively and never modified.")
    var inbox: String

    @Option(help: "The output folder.")
    var out: String

    @OptionGroup var plan: PlanOptions
    @OptionGroup var scope: ScopeOption

    @Option(help: "Write the indicator table of this period only (YYYY-spring or YYYY-autumn).")
    var period: String?

    @Option(help: "Files read at once (default: the number of cores).")
    var jobs: Int = WorkerPool.coreCount

    @Option(help: "State folder: the key of the student hashes, the run ledger, the lock and the logs (default: .edupipe in the working directory).")
    var state: String = ".edupipe"

    @Flag(help: "Exit with status 3 when any file was rejected.")
    var strict = false

    @Flag(help: "When another run holds the state folder, wait for it (default: exit at once with status 4).")
    var wait = false

    @Flag(help: "Keep no run ledger: no file hashes, no SQLite (run.json still lists the files).")
    var noLedger = false

    @Flag(help: "Print nothing but errors: no summary, no progress.")
    var quiet = false

    @Flag(help: "Log every file on stderr, and debug lines in the log file.")
    var verbose = false

    func validate() throws {
        if let period, !SubmissionName.isPeriod(period) {
            throw ValidationError("--period must be YYYY-spring or YYYY-autumn, e.g. 2022-autumn")
        }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
    }

    /// This executable, for the child that checks a file a dead run had in hand.
    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func run() throws {
        let setup = plan.loadOrExit(status: 1, scope: scope.scope)
        var environment: [String: String] = [:]
        if let key = getenv("EDUPIPE_KEY") { environment["EDUPIPE_KEY"] = String(cString: key) }
        if let now = getenv("EDUPIPE_NOW") { environment["EDUPIPE_NOW"] = String(cString: now) }
        var options = RunOptions(inbox: inbox, out: out, period: period, jobs: jobs,
                                 stateDirectory: state, environment: environment)
        options.ledger = !noLedger
        options.isolationExecutable = Self.executablePath()
        options.wait = wait
        options.progress = !quiet
        options.logger = RunLogging.logger(stderrLevel: quiet ? .error : verbose ? .debug : .warning,
                                           stateDirectory: state, fileLevel: verbose ? .debug : .info)
        let result: NightlyRun.Result
        do {
            result = try NightlyRun(setup: setup, options: options).execute()
        } catch let error as EdupipeError where error.code == .invalidArgument {
            // Folders that overlap: a usage error, said before anything is read.
            StandardStream.error.write("edupipe: \(error)\n")
            Glibc.exit(2)
        } catch let error as EdupipeError where error.code == .busy {
            StandardStream.error.write("edupipe: \(error)\n")
            Glibc.exit(4)
        } catch {
            options.logger.error("the run could not complete: \(error)")
            Glibc.exit(1)
        }
        if !quiet {
            StandardStream.output.write(RunSummary.text(result, registry: setup.registry, datasets: setup.config.datasets, out: out,
                                                          language: setup.config.language, verbose: verbose))
        }
        if strict && result.submissions.contains(where: { $0.status == .rejected }) { Glibc.exit(3) }
        // Every output is written and synced, the ledger closed, and what
        // this process prints goes straight to its descriptors: freeing the
        // night's records and tables one by one (about 5 ms of a 0.35 s
        // national night) would only hand the kernel memory it takes back
        // at exit anyway.
        Glibc.exit(0)
    }
}
