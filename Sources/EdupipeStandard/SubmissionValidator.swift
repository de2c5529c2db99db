import EdupipeSupport
import EdupipeInput

/// Validates one submission file against the standard: the name, the
/// registry, then the content read as a stream (decompression, size,
/// encoding, CSV or XML syntax, header or root, every record).
///
/// One validator serves many files on one thread; it holds no per-file state.
public struct SubmissionValidator: Sendable {
    public let registry: any CountyDirectory
    public let config: CompiledPlan

    public init(registry: any CountyDirectory, config: CompiledPlan) {
        self.registry = registry
        self.config = config
    }

    /// Validates the file at `path`, reported under `displayPath` (its path
    /// relative to the inbox), whose last component is the submission name.
    ///
    /// `digest` computes the SHA-256 of the typed records, which only the
    /// acceptance rules need, and only for files that share a revision.
    /// `identify` hashes the file's bytes as they are read, for the ledger.
    public func validate(path: String, displayPath: String, digest: Bool = false, identify: Bool = false) -> FileReport {
        validate(raw: RawPath(path), displayPath: displayPath, digest: digest, identify: identify)
    }

    /// Validates the file behind an open descriptor (readable), from its
    /// first byte; the descriptor's own offset is left as it is.
    public func validate(descriptor: Int32, displayPath: String, digest: Bool = false) -> FileReport {
        validate(.descriptor(descriptor), displayPath: displayPath, problem: nil, digest: digest, identify: false)
    }

    /// Validates the file at `raw` (any bytes: see `RawPath`). `problem`
    /// says why it cannot be read when listing the inbox found that out.
    public func validate(raw path: RawPath, displayPath: String, problem: String? = nil,
                         digest: Bool = false, identify: Bool = false) -> FileReport {
        validate(.path(path), displayPath: displayPath, problem: problem, digest: digest, identify: identify)
    }

    /// Where a file's bytes are opened from (as often as reading it takes).
    private enum Origin {
        case path(RawPath)
        case descriptor(Int32)
    }

    private static func source(_ origin: Origin, display: String, digesting: Bool) throws(InputError) -> FileSource {
        switch origin {
        case .path(let path): try FileSource(raw: path, display: display, digesting: digesting)
        case .descriptor(let fd): try FileSource(descriptor: fd, display: display, digesting: digesting)
        }
    }

    private func validate(_ origin: Origin, displayPath: String, problem: String?, digest: Bool, identify: Bool) -> FileReport {
        #if EDUPIPE_FAILPOINTS
        Failpoint.reading(displayPath)
        #endif
        if let problem {
            var log = IssueLog(listLimit: config.maxListedIssuesPerFile)
            log.addPreamble(Issue(.unreadable, problem))
            return FileReport(path: displayPath, name: SubmissionName.parse(Self.lastComponent(displayPath), datasets: config.datasets), log: log)
        }
        var report = checkName(displayPath: displayPath)
        guard let name = report.name else {
            if identify { report.file = (try? Self.source(origin, display: displayPath, digesting: true))?.finishDigest() }
            return report
        }
        switch name.format {
        case .csv: readCSV(origin, name: name, digest: digest, identify: identify, into: &report)
        case .xml: readXML(origin, name: name, digest: digest, identify: identify, into: &report)
        }
        return report
    }

    /// What the name alone says of a file (`displayPath`'s last component):
    /// the report with the name's file-level errors, if any (a name that
    /// does not follow the standard, a county that cannot report, one
    /// outside the scope) and, when it parses, the name. No file is read:
    /// `edupipe serve` answers with this for a name it cannot store.
    public func checkName(displayPath: String) -> FileReport {
        let fileName = Self.lastComponent(displayPath)
        var log = IssueLog(listLimit: config.maxListedIssuesPerFile)
        guard let name = SubmissionName.parse(fileName, datasets: config.datasets) else {
            let kind = SubmissionName.diagnosis(fileName, datasets: config.datasets)
            log.addPreamble(Issue(.filename, say("file.name_\(kind.rawValue)", [.file: fileName,
                                                                               .datasets: SubmissionName.wordList(config.datasets.map(\.rawValue))])))
            return FileReport(path: displayPath, name: nil, log: log)
        }
        if let known = registry.whyNotACounty(name.county) {
            log.addPreamble(Issue(.unknownCounty, say("file.unknown_county", [.county: name.county, .why: known])))
        } else if let scope = registry.scopeExcluding(name.county) {
            log.addPreamble(Issue(.outOfScope, say("file.out_of_scope", [.county: name.county, .why: scope])))
        }
        return FileReport(path: displayPath, name: name, log: log)
    }

    /// What follows the last `/` (trailing ones dropped), found on the bytes.
    public static func lastComponent(_ path: String) -> String {
        let u = path.utf8
        var end = u.endIndex
        while end > u.startIndex, u[u.index(before: end)] == UInt8(ascii: "/") { end = u.index(before: end) }
        let start = u[..<end].lastIndex(of: UInt8(ascii: "/")).map(u.index(after:)) ?? u.startIndex
        return String(path[start..<end])
    }

    /// Opens the file, or records why it cannot be read.
    private func open(_ origin: Origin, identify: Bool, into report: inout FileReport) -> FileSource? {
        do {
            return try Self.source(origin, display: report.path, digesting: identify)
        } catch {
            report.log.setFatal(error, config.messages, config.language)
            return nil
        }
    }

    private func readCSV(_ origin: Origin, name: SubmissionName, digest: Bool, identify: Bool, into report: inout FileReport) {
        for encoding in [TextSource.Encoding.utf8, .gb18030] {
            report.log.resetContent()
            guard let file = open(origin, identify: identify, into: &report) else { return }
            var rules = rules(name, log: report.log, digest: digest)
            let outcome = CSVSubmission(maxRecordBytes: config.maxRecordBytes)
                .read(file: file, encoding: encoding, limit: config.maxDecompressedBytes, into: &rules)
            report.log = rules.checker.log
            if outcome == .notUTF8 { continue }
            report.encoding = encoding.rawValue
            report.file = file.finishDigest()
            finish(&rules, headerFound: outcome == .complete || outcome == .stopped, into: &report)
            return
        }
    }

    /// The flat form first, without libxml2; a document that reader
    /// declines (anything else, and every error) is read again from the
    /// start through libxml2, with fresh rules, so nothing of the first
    /// reading stays.
    private func readXML(_ origin: Origin, name: SubmissionName, digest: Bool, identify: Bool, into report: inout FileReport) {
        for flat in [true, false] {
            guard let file = open(origin, identify: identify, into: &report) else { return }
            let xml = XMLSubmission(rules: rules(name, log: report.log, digest: digest), name: name)
            if flat {
                guard xml.readFlat(file: file, limit: config.maxDecompressedBytes) else { continue }
            } else {
                xml.read(file: file, limit: config.maxDecompressedBytes)
            }
            var result = xml.rules
            report.log = result.checker.log
            report.file = file.finishDigest()
            finish(&result, headerFound: true, into: &report)
            return
        }
    }

    /// A file-level message of the plan, in the run's language.
    private func say(_ key: String, _ values: [MessageTemplate.Special: String]) -> String {
        config.messages.say(key, config.language, values)
    }

    /// "a" or "an", as the name reads aloud.
    static func article(_ word: String) -> String {
        "aeiou".contains(word.first ?? "x") ? "an" : "a"
    }

    /// The checks of the file's dataset, reporting into `log`.
    private func rules(_ name: SubmissionName, log: IssueLog, digest: Bool) -> RecordRules {
        let plan = config.plan(of: name.dataset)
        let checker = RecordChecker(log: log, fileCounty: name.county, plan: plan,
                                    messages: config.messages, language: config.language)
        return RecordRules(plan: plan, checker: checker, digest: digest)
    }

    private func finish(_ rules: inout RecordRules, headerFound: Bool, into report: inout FileReport) {
        report.records = rules.records
        report.contentBytes += rules.contentBytes
        if !report.log.hasFatal && headerFound && rules.records == 0 && !rules.plan.mayBeEmpty {
            let plan = rules.plan
            report.log.addTrailer(Issue(.empty, config.language == .zh
                ? "文件没有记录：\(plan.names.zh)（\(plan.dataset.rawValue)）文件每个\(plan.record.zh)一条记录，至少要有一条"
                : "the file has no records: \(Self.article(plan.dataset.rawValue)) \(plan.dataset.rawValue) file lists at least one \(plan.record.en)"))
        }
        let (digest, totals) = rules.finish()
        if report.isValid {
            report.contentDigest = digest
            report.totals = totals
        }
    }
}

extension IssueLog {
    /// Records why the content stopped: the standard's file-level codes,
    /// in the plan's words (the reader's own detail as `{why}`).
    mutating func setFatal(_ error: InputError, _ messages: TypeMessages, _ language: Language) {
        switch error {
        case .gzip(let why):
            setFatal(Issue(.gzip, messages.say("file.gzip", language, [.why: why])))
        case .tooLarge(let limit):
            setFatal(Issue(.tooLarge, messages.say("file.too_large", language, [.limit: String(limit)])))
        case .encoding(let line, let why):
            setFatal(Issue(.encoding, line: line, messages.say("file.encoding", language, [.why: why])))
        case .io(let why):
            setFatal(Issue(.unreadable, messages.say("file.unreadable", language, [.why: why])))
        case .notUTF8:
            // Handled by reading again as GB18030; never reported.
            break
        }
    }
}
