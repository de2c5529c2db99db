import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport
import EdupipeInput
import EdupipeStandard
import EdupipeAggregate
import EdupipeRun

/// The intake behind `edupipe serve`, without HTTP: who may send what, where
/// an upload is stored, its verdict (the validator `edupipe run` uses) and
/// what acceptance will make of it, the receipt, and the ledger's record.
final class Intake: Sendable {
    let setup: Setup
    let inbox: String
    let ledger: Ledger
    /// The live accounts, in memory (`AccountCache`).
    let accounts: AccountCache
    let index: InboxIndex
    let verdicts: FileVerdicts
    /// Uploads larger than this are refused (413): the plan's limit on a
    /// file's decompressed size, which no raw file can exceed and count.
    let maxBytes: Int
    private let validators: [Language: SubmissionValidator]
    /// The same with a dry run's lower limit on decompressed bytes.
    private let dryRunValidators: [Language: SubmissionValidator]
    private let stripes: [Stripe]
    /// Held while folders are made (`link`).
    private let folders = Mutex(())
    /// Stored uploads are made durable together (`GroupSync`).
    private let durable: GroupSync

    /// One lock per stripe of (county, dataset, period): the check that a
    /// name is free, the rename and the receipt are one step for a group,
    /// while uploads of other groups go on.
    private final class Stripe: Sendable {
        let lock = Mutex(())
    }

    init(setup: Setup, inbox: String, ledger: Ledger, rescanSeconds: Int64 = 60, dryRunLimit: Int = 64 << 20) throws {
        self.setup = setup
        durable = try GroupSync(folder: inbox, start: Offload.lead)
        self.inbox = inbox
        self.ledger = ledger
        accounts = AccountCache(ledger: ledger)
        index = InboxIndex(root: inbox, datasets: setup.config.datasets, rescanSeconds: rescanSeconds)
        var configs: [Language: SubmissionValidator] = [:]
        for l in [Language.zh, .en] {
            var c = setup.config
            c.language = l
            configs[l] = SubmissionValidator(registry: setup.registry, config: c)
        }
        validators = configs
        var dry: [Language: SubmissionValidator] = [:]
        for l in [Language.zh, .en] {
            var c = setup.config
            c.language = l
            c.maxDecompressedBytes = min(c.maxDecompressedBytes, max(1, dryRunLimit))
            dry[l] = SubmissionValidator(registry: setup.registry, config: c)
        }
        dryRunValidators = dry
        verdicts = FileVerdicts(root: inbox, validator: configs[setup.config.language] ?? SubmissionValidator(registry: setup.registry, config: setup.config))
        maxBytes = setup.config.maxDecompressedBytes
        stripes = (0..<64).map { _ in Stripe() }
    }

    func validator(_ language: Language) -> SubmissionValidator {
        validators[language] ?? verdicts.validator
    }

    // MARK: who

    /// The caller holding `token`; refused when there is none, the token is
    /// unknown or revoked, or its unit has left the registry.
    func authenticate(token: String?) throws(Refusal) -> Caller {
        guard let token, !token.isEmpty else { throw .noToken }
        let found: Account?
        do { found = try accounts.account(token: token) } catch {
            throw Refusal(status: 503, code: "E_LEDGER", zh: "账户库暂时无法读取，请稍后再试", en: "the account ledger cannot be read now: try again later")
        }
        return try caller(found)
    }

    /// The same answered from the accounts in memory alone, or nil when the
    /// table must be read again from the ledger (`authenticate`, blocking).
    func cachedCaller(token: String?) -> Result<Caller, Refusal>? {
        guard let token, !token.isEmpty else { return .failure(.noToken) }
        guard let found = accounts.cachedAccount(token: token) else { return nil }
        do throws(Refusal) { return .success(try caller(found)) } catch { return .failure(error) }
    }

    private func caller(_ found: Account?) throws(Refusal) -> Caller {
        guard let account = found else { throw .badToken }
        if account.unit == Registry.nationalCode { return Caller(account: account, unitName: "全国", level: "national") }
        guard let unit = setup.registry.units[account.unit] else {
            throw Refusal(status: 403, code: "E_FORBIDDEN",
                          zh: "账户所属单位 \(account.unit) 已不在区划表中：请向数据管理员申请新账户",
                          en: "the account's unit \(account.unit) is no longer in the registry of divisions: ask for a new account")
        }
        return Caller(account: account, unitName: unit.name, level: unit.level.rawValue)
    }

    // MARK: where

    /// Where an upload of `fileName` goes: its parsed name and its inbox path
    /// `<province>/<county>/<name>`.
    struct Placement: Sendable {
        let fileName: String
        let name: SubmissionName
        let path: String
        var group: InboxIndex.Group { InboxIndex.Group(name) }
    }

    /// What a name that cannot be placed gets: the name's file-level errors
    /// as `validate` gives them (422; the body is not read), or a refusal.
    enum Unplaced: Error {
        case refused(Refusal)
        case verdict(FileReport)
    }

    /// Checks the name and the caller's right to it, before a byte of the
    /// body is read.
    func place(fileName: String, caller: Caller, language: Language) throws(Unplaced) -> Placement {
        guard let name = SubmissionName.parse(fileName, datasets: setup.config.datasets) else {
            throw .verdict(validator(language).checkName(displayPath: fileName))
        }
        let registry = setup.registry
        if registry.isCounty(name.county) || caller.unit != Registry.nationalCode {
            guard caller.covers(name.county, in: registry) else {
                let county = registry.units[name.county].map { "\($0.name) \($0.code)" } ?? name.county
                throw .refused(Refusal(status: 403, code: "E_FORBIDDEN",
                                       zh: "本账户（\(caller.unitName) \(caller.unit)）不能为 \(county) 上传或查看文件",
                                       en: "this account (\(caller.unitName) \(caller.unit)) cannot upload or read files of \(county)"))
            }
        }
        guard registry.isCounty(name.county), registry.scopeExcluding(name.county) == nil,
              let province = registry.province(of: name.county) else {
            // Unknown county, or outside the server's scope: the file-level
            // error `validate` gives, and nothing is stored.
            throw .verdict(validator(language).checkName(displayPath: fileName))
        }
        return Placement(fileName: fileName, name: name, path: province + "/" + name.county + "/" + fileName)
    }

    // MARK: what

    /// The answer to an upload, and what the audit keeps of it.
    struct Outcome: Sendable {
        var status: Int
        var body: String
        /// Decompressed bytes validation read (what the meter charges).
        var work = 0
        var facts = UploadFacts()
    }

    /// A finished upload's verdict, before anything is decided or stored.
    struct Checked: Sendable {
        var report: FileReport
        /// The inbox could not be listed again when its index was due.
        var inboxUnreadable = false
        /// Decompressed bytes validation read (what the meter charges).
        var work: Int { report.contentBytes }
    }

    /// Validates a finished upload (blocking: run it off the event loops),
    /// and lists the inbox again first if the index is due (here, not in
    /// the locked step, which runs on the syncing thread). The records'
    /// digest only matters when another file has the same revision
    /// (section 2's duplicates and conflicts): rare, so the upload is read
    /// without it, and again with it under the lock only then.
    func check(_ file: IncomingFile, at placement: Placement, dryRun: Bool, language: Language, receivedAt: Int64) -> Checked {
        let unreadable = (try? index.refreshIfStale(now: receivedAt)) == nil
        let report = checker(dryRun: dryRun, language: language)
            .validate(descriptor: file.fd, displayPath: placement.fileName, digest: others(of: placement).sharing(placement.name.revision))
        return Checked(report: report, inboxUnreadable: unreadable)
    }

    private func checker(dryRun: Bool, language: Language) -> SubmissionValidator {
        dryRun ? (dryRunValidators[language] ?? validator(language)) : validator(language)
    }

    /// Decides and (unless `dryRun`) stores a checked upload, records its
    /// receipt, and calls `finish` with the answer once the file, its name
    /// and the ledger row are on disk (the upload's file closed first).
    /// Called on a thread that may block (`Offload`); it never waits there:
    /// the locked step and the link run on the syncing thread between the
    /// sync of the upload's bytes and the sync of its name (`GroupSync`),
    /// and the ledger's row goes to the group commit from there, whose
    /// thread calls `finish`. A dry run is decided here and never synced.
    func commit(_ file: IncomingFile, checked: Checked, at placement: Placement, dryRun: Bool, caller: Caller, language: Language,
                receivedAt: Int64, audit: RequestRecord, started: Int64, then finish: @escaping @Sendable (Outcome) -> Void) {
        let done: @Sendable (Outcome) -> Void = { outcome in
            file.discard()
            finish(outcome)
        }
        if checked.inboxUnreadable {
            return done(Outcome(status: 503, body: Refusal(status: 503, code: "E_INBOX", zh: "收件箱暂时无法读取，请稍后再试",
                                                           en: "the inbox cannot be read now: try again later").json(language), work: checked.work))
        }
        if dryRun {
            switch decide(file, checked: checked, at: placement, dryRun: true, language: language, receivedAt: receivedAt) {
            case .answered(let outcome), .stored(let outcome): return done(outcome)
            }
        }
        // The bytes on disk before any name is given to them: a power cut
        // must never leave a short file under a name the clerk cannot send
        // again.
        durable.afterSync { synced in
            guard synced else {
                return done(Outcome(status: 500, body: Refusal(status: 500, code: "E_STORE", zh: "文件未能同步到磁盘",
                                                               en: "the file could not be synced to disk").json(language), work: checked.work))
            }
            switch self.decide(file, checked: checked, at: placement, dryRun: false, language: language, receivedAt: receivedAt) {
            case .answered(let outcome): done(outcome)
            case .stored(let outcome): self.record(file, outcome: outcome, at: placement, caller: caller, language: language,
                                                   receivedAt: receivedAt, audit: audit, started: started, then: done)
            }
        }
    }

    /// The last steps of a stored upload, from the syncing thread: its name
    /// (and any folder made for it) on disk, then its receipt and request
    /// row in the ledger.
    private func record(_ file: IncomingFile, outcome: Outcome, at placement: Placement, caller: Caller, language: Language,
                        receivedAt: Int64, audit: RequestRecord, started: Int64, then done: @escaping @Sendable (Outcome) -> Void) {
        durable.afterSync { synced in
            guard synced else {
                return done(Outcome(status: 500, body: Refusal(status: 500, code: "E_STORE", zh: "文件夹未能同步到磁盘",
                                                               en: "the inbox folder could not be synced to disk").json(language), work: outcome.work))
            }
            var row = audit
            row.status = outcome.status
            row.file = outcome.facts
            row.milliseconds = Int((MonotonicClock.nanoseconds() - started) / 1_000_000)
            let receipt = StoredReceipt(path: placement.path, sha256: file.sha256, receivedAt: receivedAt, body: outcome.body)
            self.ledger.recordUpload(row, receipt: receipt, accountID: caller.account.id, start: Offload.lead) { error in
                guard let error else { return done(outcome) }
                // The file is in the inbox and the night will read it;
                // only the receipt could not be kept. Say so rather
                // than pretend.
                done(Outcome(status: 500, body: Refusal(status: 500, code: "E_LEDGER",
                                                        zh: "文件已保存，但回执未能写入账本：请稍后用同一文件重试以取得回执（\(error)）",
                                                        en: "the file was stored but its receipt could not be recorded: send the same file again for the receipt (\(error))").json(language),
                             work: outcome.work))
            }
        }
    }

    /// What the locked step made of an upload: an answer (a dry run, a
    /// repeat, a refusal), or a file linked into the inbox whose receipt
    /// waits for the name to be synced.
    private enum Decided: Sendable {
        case answered(Outcome)
        case stored(Outcome)
    }

    /// Under the group's lock: the check that the name is free, the
    /// decision, the receipt's text and the link are one step for a group
    /// (county, dataset, period), while uploads of other groups go on.
    private func decide(_ file: IncomingFile, checked: Checked, at placement: Placement, dryRun: Bool, language: Language,
                        receivedAt: Int64) -> Decided {
        var report = checked.report
        var work = checked.work
        let stripe = stripes[Int(UInt(bitPattern: placement.group.hashValue) % UInt(stripes.count))]
        return stripe.lock.withLock { _ in
            if let existing = existingFile(placement, dryRun: dryRun) {
                var outcome = answerForExisting(existing, file: file, placement: placement, language: language)
                outcome.work = work
                return .answered(outcome)
            }
            // Again under the lock: another upload of the group may have come.
            let group = others(of: placement)
            if group.sharing(placement.name.revision) && report.isValid && report.contentDigest == nil {
                report = checker(dryRun: dryRun, language: language).validate(descriptor: file.fd, displayPath: placement.fileName, digest: true)
                work += report.contentBytes
            }
            let others = group.members.compactMap { m in
                verdicts.verdict(m.path, digest: group.sharing(m.name.revision)).map { (member: m, verdict: $0) }
            }
            let standing = Standing.decide(path: placement.path, name: placement.name, isValid: report.isValid,
                                           digest: report.contentDigest, others: others)
            var outcome = Outcome(status: dryRun ? 200 : 201, body: "", work: work,
                                  facts: UploadFacts(path: placement.path, sha256: file.sha256, bytes: file.bytes,
                                                     verdict: report.isValid ? "accepted" : "rejected", acceptance: standing.kind.rawValue,
                                                     records: report.records, errors: report.log.errorCount,
                                                     firstError: report.log.firstError?.rawValue))
            // The quality checks that concern the file once it is in force
            // (section 8): against the county's previous file and its
            // other collections, as the inbox stands. Never a rejection.
            var flags: [QualityFlag] = []
            if report.isValid, standing.kind == .inForce, let totals = report.totals {
                flags = QualityChecks.forFile(placement.name, totals: totals, registry: setup.registry, config: setup.config) { d, p in
                    self.inForceTotals(county: placement.name.county, dataset: d, period: p)
                }
            }
            let receipt = Receipt(fileName: placement.fileName, path: placement.path, sha256: file.sha256, bytes: file.bytes,
                                  receivedAt: receivedAt, stored: !dryRun, dryRun: dryRun, report: report, standing: standing,
                                  language: language, quality: flags)
            outcome.body = receipt.json
            if dryRun { return .answered(outcome) }
            do {
                try link(file, at: placement)
            } catch is NameTaken {
                // A file the index did not know yet (an operator's copy):
                // answered as if it had been found before.
                var outcome = answerForExisting(placement.path, file: file, placement: placement, language: language)
                outcome.work = work
                return .answered(outcome)
            } catch let refusal as Refusal {
                return .answered(Outcome(status: refusal.status, body: refusal.json(language), work: work))
            } catch {
                return .answered(Outcome(status: 500, body: Refusal(status: 500, code: "E_STORE", zh: "文件未能保存：\(error)",
                                                                    en: "the file could not be stored: \(error)").json(language), work: work))
            }
            verdicts.remember(placement.path, report: report, descriptor: file.fd)
            index.add(InboxIndex.Member(path: placement.path, name: placement.name), fileName: placement.fileName)
            return .stored(outcome)
        }
    }

    /// The other files of the upload's group, and how many files of the
    /// group, the upload included, have each revision: a file's records'
    /// digest is needed only when its revision is shared.
    private func others(of placement: Placement) -> Others {
        let members = index.members(of: placement.group).filter { $0.path != placement.path }
        var revisions = [placement.name.revision: 1]
        for m in members { revisions[m.name.revision, default: 0] += 1 }
        return Others(members: members, revisions: revisions)
    }

    private struct Others {
        let members: [InboxIndex.Member]
        let revisions: [Int: Int]
        func sharing(_ revision: Int) -> Bool { revisions[revision, default: 0] > 1 }
    }

    /// What the county's file in force for (dataset, period) counts, as the
    /// inbox stands (`Acceptance.inForce`), from the verdicts' cache.
    func inForceTotals(county: String, dataset: Dataset, period: String) -> DatasetTotals? {
        let members = index.members(of: InboxIndex.Group(county: county, dataset: dataset.rawValue, period: period))
        let shared = Dictionary(grouping: members, by: \.name.revision).filter { $0.value.count > 1 }
        var candidates: [AcceptanceCandidate] = []
        var totals: [String: DatasetTotals] = [:]
        for m in members {
            guard let v = verdicts.verdict(m.path, digest: shared[m.name.revision] != nil), v.isValid else { continue }
            candidates.append(AcceptanceCandidate(path: m.path, name: m.name, isValid: true, contentDigest: v.digest))
            totals[m.path] = v.totals
        }
        return Acceptance.inForce(candidates).flatMap { totals[$0] }
    }

    /// The file already in the inbox under this name, if any. An upload to
    /// be stored asks the index only: its link fails with `EEXIST` on a
    /// file the index does not know yet (`NameTaken`), which spares every
    /// upload a lookup of its path (2% of the server's time). A dry run
    /// links nothing, so it looks at the file system too.
    private func existingFile(_ placement: Placement, dryRun: Bool) -> String? {
        if dryRun && access(inbox + "/" + placement.path, F_OK) == 0 { return placement.path }
        return index.member(named: placement.fileName)?.path
    }

    /// The link found a file of the upload's name in its place.
    private struct NameTaken: Error {}

    /// The same name again: the first receipt when the bytes are the same,
    /// else 409 with the revision to send instead.
    private func answerForExisting(_ path: String, file: IncomingFile, placement: Placement, language: Language) -> Outcome {
        let stored = try? ledger.receipt(path: path)
        let sha = stored?.sha256 ?? (FileIdentity.of(path: inbox + "/" + path)?.hex ?? "")
        if sha == file.sha256 {
            if let stored { return Outcome(status: 200, body: stored.body, facts: UploadFacts(path: path, sha256: sha, acceptance: "repeat")) }
            return Outcome(status: 200, body: Refusal(status: 200, code: "ALREADY_STORED",
                                                      zh: "收件箱中已有内容完全相同的 \(path)", en: "\(path) with the same bytes is already in the inbox").json(language),
                           facts: UploadFacts(path: path, sha256: sha, acceptance: "repeat"))
        }
        let highest = index.members(of: placement.group).map(\.name.revision).max() ?? placement.name.revision
        let next = max(highest, placement.name.revision) + 1
        let suggested = placement.name.fileName(revision: next)
        return Outcome(status: 409, body: Refusal(status: 409, code: "E_NAME_TAKEN",
                                                  zh: "收件箱中已有同名但内容不同的文件 \(path)：已收到的文件不会被覆盖，请改名为第 \(next) 版（_r\(next)）再上传，例如 \(suggested)",
                                                  en: "\(path) is already in the inbox with other bytes, and a stored file is never overwritten: send it as revision _r\(next), e.g. \(suggested)").json(language),
                       facts: UploadFacts(path: path, acceptance: "name_taken"))
    }

    /// Gives a finished upload its name in the inbox, making its folders
    /// as needed: a link, which never replaces a file (unlike rename). The
    /// caller syncs the name (`GroupSync`) before it promises anything.
    private func link(_ file: IncomingFile, at placement: Placement) throws {
        let target = inbox + "/" + placement.path
        let directory = String(target[..<(target.lastIndex(of: "/") ?? target.endIndex)])
        var linked = file.link(to: target)
        if linked != 0 && errno == ENOENT {
            // The county's first file: its folder is made, then the link
            // is tried again. One folder made at a time: concurrent mkdirs
            // in one province's folder spin on its lock in the kernel (a
            // sixth of the server's time on the bench's uploads in name
            // order).
            _ = try folders.withLock { _ in try makeDirectories(directory, mode: 0o777) }
            linked = file.link(to: target)
        }
        if linked != 0 {
            let why = String(cString: strerror(errno))
            // Under the group's lock no other upload can have taken the
            // name: the file came from outside the server.
            if errno == EEXIST { throw NameTaken() }
            throw Refusal(status: 500, code: "E_STORE", zh: "文件未能保存：\(why)", en: "the file could not be stored: \(why)")
        }
    }
}

extension SubmissionName {
    /// This name with another revision: what a clerk should send instead.
    func fileName(revision: Int) -> String {
        "\(county)_\(dataset.rawValue)_\(period)_r\(revision).\(format == .csv ? "csv" : "xml")\(gzipName ? ".gz" : "")"
    }
}
