#if canImport(Glibc)
import Glibc
#endif
import Logging
import EdupipeSupport
import EdupipeInput
import EdupipeStandard
import EdupipeAggregate
import EdupipeOutput

/// The options of `edupipe run`.
public struct RunOptions: Sendable {
    public var inbox: String
    public var out: String
    /// Only this period's indicator table (every file is still read).
    public var period: String?
    public var jobs: Int
    public var stateDirectory: String
    /// `EDUPIPE_KEY`, and `EDUPIPE_NOW` to fix the ledger's clock.
    public var environment: [String: String]
    /// Keep the run ledger (file hashes, SQLite) in the state folder.
    public var ledger = true
    /// Wait for a run that holds the state lock instead of failing at once.
    public var wait = false
    /// Draw progress on stderr when it is a terminal.
    public var progress = false
    public var logger = RunLogging.silent
    /// The `edupipe` executable, for checking in a child process the files
    /// a dead run had in hand (`CrashIsolation`); nil: no such check.
    public var isolationExecutable: String?

    public init(inbox: String, out: String, period: String? = nil, jobs: Int = WorkerPool.coreCount,
                stateDirectory: String = ".edupipe", environment: [String: String] = [:]) {
        self.inbox = inbox
        self.out = out
        self.period = period
        self.jobs = jobs
        self.stateDirectory = stateDirectory
        self.environment = environment
    }
}

/// The nightly job: read every file of the inbox in parallel, apply the
/// acceptance rules, compute the indicators of every period at four levels,
/// and write the contract outputs atomically.
public struct NightlyRun: Sendable {

    public struct Result: Sendable {
        public let submissions: [SubmissionRecord]
        public let tables: [IndicatorTable]
        public let duplicates: [String: CrossCountyDuplicates]
        public let counties: [String: [String: CountyFiles]]
        /// The quality flags of each period's table (section 8), in
        /// `quality.csv`'s order.
        public let quality: [String: [QualityFlag]]
        public let keySource: String
        /// The ledger's id of this run, and what changed since the last one.
        public var runID: Int64?
        public var changes: [LedgerChange] = []
        /// Who has reported each period, and when (needs the ledger).
        public var reporting: [ReportingStatus] = []
    }

    public let setup: Setup
    public let options: RunOptions

    public init(setup: Setup, options: RunOptions) {
        self.setup = setup
        self.options = options
    }

    /// Takes the state lock, records the run in the ledger, computes and
    /// writes the outputs, and closes the run in the ledger.
    public func execute() throws -> Result {
        let log = options.logger
        let startedAt = LedgerTime.now(environment: options.environment)
        try RunFolders.check(inbox: options.inbox, out: options.out, state: options.stateDirectory)
        let lock = try RunLock(directory: options.stateDirectory, wait: options.wait, now: startedAt,
                               readOnlyAllowed: !options.ledger) { log.notice("\($0)") }
        // Two runs with different state folders must not write one output
        // folder at once: it is locked the same way, before anything in it
        // (another run's temporary files included) is touched.
        let outLock = try RunLock(directory: options.out, fileName: RunLock.outputFileName, kind: "output folder",
                                  wait: options.wait,
                                  now: startedAt) { log.notice("\($0)") }
        defer { withExtendedLifetime((lock, outLock)) {} }
        try prepareOutput()
        let ledger = options.ledger ? try Ledger(directory: options.stateDirectory) : nil
        let start = LedgerRunStart(
            startedAt: startedAt, pid: Int(getpid()), inbox: options.inbox, out: options.out,
            pipelinePath: setup.pipelinePath, pipelineSHA256: setup.pipelinePath.flatMap { FileIdentity.of(path: $0)?.hex },
            registryPath: setup.registryPath, registrySHA256: setup.registryPath.flatMap { FileIdentity.of(path: $0)?.hex },
            scope: setup.registry.scope)
        let runID = try ledger?.beginRun(start)
        log.info("run started", metadata: ["run": "\(runID.map(String.init) ?? "-")", "inbox": "\(options.inbox)", "out": "\(options.out)"])
        var result: Result
        var outputs: (contract: OutputTasks, people: OutputTasks)?
        do {
            let computed = try compute()
            result = computed.result
            outputs = (computed.contract, computed.people)
            // The readers' buffers are free now: hand those pages back
            // before the ledger's work, so the run's peak memory is the
            // larger of the two phases, not their sum.
            releaseFreedMemory()
            // The contract files are being written; run.json follows them.
            let finishOutputs = {
                try computed.contract.finish()
                StaleTables.remove(out: self.options.out, keeping: computed.periodsFound.union(result.tables.map(\.period)))
                let endedAt = LedgerTime.now(environment: self.options.environment)
                try RunRecord.write(result, runID: runID, start: start, endedAt: endedAt)
                return endedAt
            }
            if let ledger, let runID {
                // The ledger records the files and reads back who has
                // reported while the outputs are written, and commits only
                // once they are.
                let query = Ledger.ReportingQuery(periods: result.tables.map(\.period), registry: setup.registry, datasets: setup.config.datasets,
                                                  deadlines: setup.config.deadlines)
                let closed = try ledger.finishRun(id: runID, startedAt: startedAt,
                                                  files: result.submissions.lazy.map(LedgerSeenFile.init),
                                                  reporting: query, beforeCommit: finishOutputs)
                result.runID = runID
                result.changes = closed.changes
                result.reporting = closed.reporting
            } else {
                _ = try finishOutputs()
            }
            try computed.people.finish()
        } catch {
            try? outputs?.contract.finish()
            try? outputs?.people.finish()
            if let ledger, let runID {
                try? ledger.failRun(id: runID, endedAt: LedgerTime.now(environment: options.environment), message: "\(error)")
            }
            throw error
        }
        logOutcome(result)
        return result
    }

    private func logOutcome(_ result: Result) {
        let log = options.logger
        let submissions = result.submissions
        // By index (see `SubmissionRecord`), and file by file only when
        // debug lines are on.
        if log.logLevel <= .debug {
            for s in submissions {
                log.debug("\(s.path): \(s.status.rawValue), \(s.records) records, \(s.errors) errors, \(s.warnings) warnings")
            }
        }
        var byStatus = [SubmissionStatus: Int]()
        for i in submissions.indices {
            byStatus[submissions[i].status, default: 0] += 1
            if submissions[i].status == .rejected {
                log.info("rejected \(submissions[i].path): \(submissions[i].firstError?.rawValue ?? "")")
            }
        }
        var counts: Logger.Metadata = [:]
        for status in SubmissionStatus.allCases {
            counts[status.rawValue] = "\(byStatus[status] ?? 0)"
        }
        for kind in LedgerChange.Kind.allCases {
            counts["changes." + kind.rawValue] = "\(result.changes.count { $0.kind == kind })"
        }
        log.info("run completed", metadata: counts.merging(["run": "\(result.runID.map(String.init) ?? "-")"]) { $1 })
        // Missing counties are normal before the deadline; after it they
        // are worth a warning on stderr (cron mails what it prints).
        let now = LedgerTime.now(environment: options.environment)
        for r in result.reporting {
            let overdue = r.deadline.flatMap(LedgerTime.endOfDay).map { now >= $0 } ?? false
            for dataset in setup.config.datasets {
                let t = r.total(dataset)
                guard t.late > 0 || t.reporting < t.expected else { continue }
                let message: Logger.Message = "\(r.period) \(dataset.rawValue): \(t.expected - t.reporting) of \(t.expected) counties have not reported, \(t.late) reported late"
                log.log(level: overdue ? .warning : .notice, message)
            }
        }
    }

    /// Reads, decides and aggregates; returns with the outputs still being
    /// written.
    private func compute() throws -> (result: Result, contract: OutputTasks, people: OutputTasks, periodsFound: Set<String>) {
        let paths = try Inbox.entries(options.inbox)
        let secret = try InstallationSecret.load(stateDirectory: options.stateDirectory, environment: options.environment)

        let jobs = max(1, min(options.jobs, max(1, paths.count)))
        let spools = try (0..<jobs).map { try IssueSpool(directory: options.out, worker: $0) }
        let keys = StudentKeys(secret: secret.secret)
        // Files a run that died had in hand are checked in a child first.
        let suspects = Set(InHandJournal.leftOver(directory: options.stateDirectory))
        let journal = InHandJournal(directory: options.stateDirectory, workers: jobs)
        var (submissions, fileTotals) = try readAll(paths, spools: spools, jobs: jobs, keys: keys, journal: journal, suspects: suspects)
        journal?.remove()
        // The candidates live only as long as the decision needs them.
        let decision = {
            var candidates = submissions.map {
                AcceptanceCandidate(path: $0.path, name: $0.name, isValid: $0.errors == 0, contentDigest: nil)
            }
            let groups = Acceptance.RevisionGroups(candidates)
            digestSharedRevisions(&candidates, entries: paths, shared: Acceptance.filesSharingARevision(groups))
            return Acceptance.decide(candidates, groups: groups)
        }()
        for i in submissions.indices {
            submissions[i].status = decision.statuses[i]
            if let conflict = decision.conflicts[i] {
                submissions[i].acceptanceIssue = conflict
                submissions[i].errors += 1
                submissions[i].firstError = submissions[i].firstError ?? conflict.code
            }
        }

        // Inserted one by one: `Set(sequence)` sizes its table for every
        // file (a megabyte kept all night for three periods).
        var found: Set<String> = []
        for s in submissions { if let period = s.name?.period { found.insert(period) } }
        var periods = found
        if let only = options.period { periods = [only] }
        var tables: [IndicatorTable] = []
        // duplicates.csv lists the children of the first dataset with a
        // linked field (the dropout list): the only one plans have today.
        var duplicates: [String: CrossCountyDuplicates] = [:]
        var countiesByPeriod: [String: [String: CountyFiles]] = [:]
        var listsByPeriod: [String: [Int: [(county: String, students: [StudentKey])]]] = [:]
        let datasetCount = setup.config.datasetPlans.count
        // The files in force of every period found, so that a period's
        // predecessor is at hand (section 8.1) even with --period.
        // In place, by index: see `SubmissionRecord`.
        for i in submissions.indices where submissions[i].status == .accepted {
            guard let name = submissions[i].name, let totals = fileTotals[i] else { continue }
            countiesByPeriod[name.period, default: [:]][name.county, default: CountyFiles(datasets: datasetCount)].set(totals)
            if setup.config.datasetPlans[totals.dataset.index].link != nil {
                listsByPeriod[name.period, default: [:]][totals.dataset.index, default: []].append((name.county, submissions[i].studentKeys))
            }
        }
        // The lists hold the keys of the files in force now, freed with them
        // period by period; no other file's are needed. The totals of the
        // files in force are the counties' now; the others go.
        for i in submissions.indices { submissions[i].studentKeys = [] }
        fileTotals = []
        // How far back a sustained indicator looks.
        let lookBack = setup.config.catalog.entries.reduce(1) { most, e in
            if case .countiesWithZero = e.kind { return max(most, e.periods) }
            return most
        } - 1
        var quality: [String: [QualityFlag]] = [:]
        for period in periods.sorted() {
            let counties = countiesByPeriod[period] ?? [:]
            let lists = listsByPeriod[period] ?? [:]
            var dups: [Int: CrossCountyDuplicates] = [:]
            for plan in setup.config.datasetPlans where plan.link != nil {
                dups[plan.dataset.index] = CrossCountyDuplicates(lists: lists[plan.dataset.index] ?? [], registry: setup.registry)
            }
            if let first = dups.keys.min() { duplicates[period] = dups[first] }
            // The period's children are counted: their keys are not needed again.
            listsByPeriod[period] = nil
            let previous = PeriodOrder.before(period, count: max(1, lookBack)).map { countiesByPeriod[$0] ?? [:] }
            let table = IndicatorTable(period: period, counties: counties, previous: previous, duplicates: dups,
                                       registry: setup.registry, config: setup.config)
            tables.append(table)
            let before = PeriodOrder.previous(period).flatMap { countiesByPeriod[$0] }
            quality[period] = QualityChecks.flags(table: table, counties: counties, previous: before,
                                                  registry: setup.registry, config: setup.config)
        }

        let views = tables.map { PeriodTables(table: $0, submissions: submissions, config: setup.config) }
        // Every output is written on threads of their own: the contract
        // files on `jobs` threads, beside the ledger's work; the workbook
        // and report, the longest to write, on one more. The run fails if
        // any cannot be written.
        try ContractFiles.prepare(out: options.out, periods: tables.map(\.period))
        let people = PeopleFiles.start(out: options.out, tables: views, quality: quality, registry: setup.registry, config: setup.config)
        let contract = ContractFiles.start(out: options.out, submissions: submissions, spools: spools,
                                           tables: tables, views: views, duplicates: duplicates, quality: quality, jobs: jobs)
        return (Result(submissions: submissions, tables: tables, duplicates: duplicates,
                       counties: countiesByPeriod, quality: quality, keySource: secret.source), contract, people, found)
    }

    private func prepareOutput() throws {
        do {
            try makeDirectories(options.out)
        } catch {
            throw EdupipeError(.io, "cannot create the output folder \(options.out): \(error)", cause: error)
        }
        guard access(options.out, W_OK) == 0 else {
            throw EdupipeError(.io, "the output folder \(options.out) is not writable")
        }
        AtomicFile.removeLeftovers(in: options.out)
    }

    /// "The same records" only matters between valid files of one county,
    /// dataset, period and revision, which is rare: only those files are
    /// read again, this time with the digest of their typed records.
    private func digestSharedRevisions(_ candidates: inout [AcceptanceCandidate], entries: [Inbox.Entry], shared: [Int]) {
        guard !shared.isEmpty else { return }
        let validator = SubmissionValidator(registry: setup.registry, config: setup.config)
        let digests = ResultSlots<[UInt8]>(count: shared.count)
        let inbox = RawPath(options.inbox)
        let paths = shared.map { candidates[$0].path }
        let raws = shared.map { entries[$0].raw }
        WorkerPool.run(count: shared.count, threads: options.jobs) { k, _ in
            digests[k] = validator.validate(raw: inbox.appending(raws[k]), displayPath: paths[k], digest: true).contentDigest
        }
        for (k, i) in shared.enumerated() { candidates[i].contentDigest = digests[k] }
    }

    /// Checks a file a dead run had in hand in a child process; returns the
    /// report of a file set aside when the child died on it too.
    private func isolate(_ file: RawPath, entry: Inbox.Entry, validator: SubmissionValidator) -> FileReport? {
        guard let executable = options.isolationExecutable else { return nil }
        let outcome = CrashIsolation.check(file, executable: executable, pipeline: setup.pipelinePath, registry: setup.registryPath)
        options.logger.warning("\(entry.path) was in hand when a run died; checked on its own: \(outcome)")
        let signal: Int32?
        switch outcome {
        case .crashed(let s): signal = s
        case .hung: signal = nil
        case .survived, .notChecked: return nil
        }
        var log = IssueLog(listLimit: setup.config.maxListedIssuesPerFile)
        log.addPreamble(CrashIsolation.issue(signal: signal))
        var report = FileReport(path: entry.path, name: SubmissionName.parse(SubmissionValidator.lastComponent(entry.path), datasets: setup.config.datasets), log: log)
        report.file = (try? FileSource(raw: file, display: entry.path, digesting: true))?.finishDigest()
        return report
    }

    /// Validates every file on `jobs` threads; each worker spools its files'
    /// issue rows, so only counts and totals stay in memory.
    private func readAll(_ paths: [Inbox.Entry], spools: [IssueSpool], jobs: Int, keys: StudentKeys,
                         journal: InHandJournal?, suspects: Set<RawPath>) throws -> ([SubmissionRecord], [DatasetTotals?]) {
        let validator = SubmissionValidator(registry: setup.registry, config: setup.config)
        let slots = FilledSlots(count: paths.count, empty: SubmissionRecord.unread)
        let totals = ResultSlots<DatasetTotals>(count: paths.count)
        let failures = ResultSlots<String>(count: paths.count)
        let inbox = RawPath(options.inbox)
        let canonicalInbox = RawPath(RunFolders.canonical(options.inbox))
        let identify = options.ledger
        let counter = ProgressCounter(total: paths.count)
        let display = options.progress ? ProgressDisplay.start(counter: counter) : nil
        defer { display?.stop() }
        WorkerPool.run(count: paths.count, threads: jobs) { index, worker in
            let entry = paths[index]
            let file = inbox.appending(entry.raw)
            // In the journal by its real path, so that a run given the inbox
            // by another path still knows the file.
            let known = canonicalInbox.appending(entry.raw)
            var report: FileReport
            if let crash = suspects.contains(known) ? self.isolate(file, entry: entry, validator: validator) : nil {
                report = crash
            } else {
                journal?.take(worker, known)
                report = validator.validate(raw: file, displayPath: entry.path, problem: entry.problem, identify: identify)
                journal?.release(worker)
            }
            counter.fileDone(bytes: report.file?.size ?? 0)
            // Children are matched by keyed hash only: hash here, on the
            // worker, and keep no raw ID beyond this file.
            var studentKeys: [StudentKey] = []
            if var totals = report.totals, !totals.linked.isEmpty {
                studentKeys = totals.linked.map(keys.key(forNumericID:))
                totals.linked = []
                report.totals = totals
            }
            let issues = report.log.all
            do {
                let segment = issues.isEmpty ? nil : try spools[worker].append(IssueSpool.rows(file: report.path, issues))
                slots[index] = SubmissionRecord(report, spool: segment.map { (worker, $0) }, studentKeys: studentKeys)
                totals[index] = report.totals
            } catch {
                failures[index] = "\(error)"
            }
        }
        for i in paths.indices {
            if let failure = failures[i] { throw EdupipeError(.io, failure) }
        }
        return (slots.takeAll(), totals.takeAll())
    }
}
