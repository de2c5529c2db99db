#if canImport(Glibc)
import Glibc
#endif

/// The options of `edupipe run`.
public struct RunOptions: Sendable {
    public var inbox: String
    public var out: String
    /// Only this period's indicator table (every file is still read).
    public var period: String?
    public var jobs: Int
    public var stateDirectory: String
    public var environment: [String: String]

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
public struct NightlyRun {
    public struct RunError: Error, CustomStringConvertible {
        public let description: String
    }

    public struct Result: Sendable {
        public let submissions: [SubmissionRecord]
        public let tables: [IndicatorTable]
        public let duplicates: [String: CrossCountyDuplicates]
        public let counties: [String: [String: CountyFiles]]
        public let keySource: String
    }

    public let setup: Setup
    public let options: RunOptions

    public init(setup: Setup, options: RunOptions) {
        self.setup = setup
        self.options = options
    }

    public func execute() throws -> Result {
        try prepareOutput()
        let paths: [String]
        do {
            paths = try Inbox.list(options.inbox)
        } catch {
            throw RunError(description: "\(error)")
        }
        let secret = try InstallationSecret.load(stateDirectory: options.stateDirectory, environment: options.environment)

        let jobs = max(1, min(options.jobs, max(1, paths.count)))
        let spools = try (0..<jobs).map { try IssueSpool(directory: options.out, worker: $0) }
        let keys = StudentKeys(secret: secret.secret)
        var submissions = try readAll(paths, spools: spools, jobs: jobs, keys: keys)
        var candidates = submissions.map {
            AcceptanceCandidate(path: $0.path, name: $0.name, isValid: $0.errors == 0, contentDigest: nil)
        }
        digestSharedRevisions(&candidates)
        let decision = Acceptance.decide(candidates)
        for i in submissions.indices {
            submissions[i].status = decision.statuses[i]
            if let conflict = decision.conflicts[i] {
                submissions[i].acceptanceIssue = conflict
                submissions[i].errors += 1
                submissions[i].firstError = submissions[i].firstError ?? conflict.code
            }
        }

        var periods = Set(submissions.compactMap { $0.name?.period })
        if let only = options.period { periods = [only] }
        var tables: [IndicatorTable] = []
        var duplicates: [String: CrossCountyDuplicates] = [:]
        var countiesByPeriod: [String: [String: CountyFiles]] = [:]
        for period in periods.sorted() {
            var counties: [String: CountyFiles] = [:]
            var lists: [(county: String, students: [StudentKey])] = []
            for s in submissions where s.status == .accepted && s.name?.period == period {
                guard let name = s.name, let totals = s.totals else { continue }
                counties[name.county, default: CountyFiles()].set(totals)
                if case .dropout = totals { lists.append((name.county, s.studentKeys)) }
            }
            let dups = CrossCountyDuplicates(lists: lists, registry: setup.registry)
            duplicates[period] = dups
            countiesByPeriod[period] = counties
            tables.append(IndicatorTable(period: period, counties: counties, duplicates: dups,
                                         registry: setup.registry, targets: setup.config.targets))
        }

        try ContractFiles.write(out: options.out, submissions: submissions, spools: spools,
                                tables: tables, duplicates: duplicates, jobs: jobs)
        return Result(submissions: submissions, tables: tables, duplicates: duplicates,
                      counties: countiesByPeriod, keySource: secret.source)
    }

    private func prepareOutput() throws {
        do {
            try makeDirectories(options.out)
        } catch {
            throw RunError(description: "cannot create the output folder \(options.out): \(error)")
        }
        guard access(options.out, W_OK) == 0 else {
            throw RunError(description: "the output folder \(options.out) is not writable")
        }
        AtomicFile.removeLeftovers(in: options.out)
    }

    /// "The same records" only matters between valid files of one county,
    /// dataset, period and revision, which is rare: only those files are
    /// read again, this time with the digest of their typed records.
    private func digestSharedRevisions(_ candidates: inout [AcceptanceCandidate]) {
        let shared = Acceptance.filesSharingARevision(candidates)
        guard !shared.isEmpty else { return }
        let validator = SubmissionValidator(registry: setup.registry, config: setup.config)
        let digests = ResultSlots<[UInt8]>(count: shared.count)
        let inbox = options.inbox
        let paths = shared.map { candidates[$0].path }
        WorkerPool.run(count: shared.count, threads: options.jobs) { k, _ in
            digests[k] = validator.validate(path: inbox + "/" + paths[k], displayPath: paths[k], digest: true).contentDigest
        }
        for (k, i) in shared.enumerated() { candidates[i].contentDigest = digests[k] }
    }

    /// Validates every file on `jobs` threads; each worker spools its files'
    /// issue rows, so only counts and totals stay in memory.
    private func readAll(_ paths: [String], spools: [IssueSpool], jobs: Int, keys: StudentKeys) throws -> [SubmissionRecord] {
        let validator = SubmissionValidator(registry: setup.registry, config: setup.config)
        let slots = ResultSlots<SubmissionRecord>(count: paths.count)
        let failures = ResultSlots<String>(count: paths.count)
        let inbox = options.inbox
        WorkerPool.run(count: paths.count, threads: jobs) { index, worker in
            var report = validator.validate(path: inbox + "/" + paths[index], displayPath: paths[index])
            // Children are matched by keyed hash only: hash here, on the
            // worker, and keep no raw ID beyond this file.
            var studentKeys: [StudentKey] = []
            if case .dropout(var list)? = report.totals {
                studentKeys = list.students.map(keys.key(forNumericID:))
                list.students = []
                report.totals = .dropout(list)
            }
            let issues = report.log.all
            do {
                let segment = issues.isEmpty ? nil : try spools[worker].append(IssueSpool.rows(file: report.path, issues))
                slots[index] = SubmissionRecord(report, spool: segment.map { (worker, $0) }, studentKeys: studentKeys)
            } catch {
                failures[index] = "\(error)"
            }
        }
        return try paths.indices.map { i in
            if let failure = failures[i] { throw RunError(description: failure) }
            return slots[i]!
        }
    }
}
