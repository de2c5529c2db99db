import Hummingbird
import HummingbirdAuth
import HTTPTypes
#if canImport(Glibc)
import Glibc
#endif
import EdupipeInput
import EdupipeStandard
import EdupipeAggregate
import EdupipeOutput
import EdupipeRun
import EdupipeSupport

/// The HTTP face of the intake: the clerks' page, the format guide and
/// templates, and the API (`/api/v1/...`). Every API route names its
/// caller by token before it reads anything else.
struct ServeRoutes: Sendable {
    let intake: Intake
    let clock: @Sendable () -> Int64
    let meter: Meter
    /// Seconds of grace before an upload must keep up `minimumRate`.
    let idleTimeout: Int
    let minimumRate: Int

    func add(to router: Router<ServeContext>) {
        let clerkPage = Self.page(ClerkPage.html)
        router.get("/") { _, _ in clerkPage }
        router.get("/guide/:lang") { _, context in
            let lang = Language(rawValue: context.parameters.get("lang") ?? "") ?? .zh
            return Self.page(FormatGuide.document(intake.setup.config, language: lang).html)
        }
        router.get("/templates/:dataset") { request, context in try template(request, context) }
        router.get("/api/v1/me") { request, context in try await me(request, context) }
        router.put("/api/v1/files/:name") { request, context in try await upload(request, context) }
        router.get("/api/v1/files/:name") { request, context in try await storedReceipt(request, context) }
        router.get("/api/v1/files/:name/errors.csv") { request, context in try await errorsCSV(request, context) }
        router.get("/api/v1/status") { request, context in try await status(request, context) }
        router.get("/api/v1/units") { request, context in try await units(request, context) }
        router.get("/api/v1/runs/latest") { request, context in try await latestRun(request, context) }
        router.get("/api/v1/runs/latest/:period/:file") { request, context in try await runFile(request, context) }
    }

    // MARK: helpers

    static func language(_ request: Request) -> Language {
        if let l = request.uri.queryParameters.get("lang").flatMap({ Language(rawValue: $0.lowercased()) }) { return l }
        // Chinese first: English only when the browser asks for it first.
        if let accept = request.headers[.acceptLanguage]?.lowercased(), accept.hasPrefix("en") { return .en }
        return .zh
    }

    static func json(_ status: Int, _ body: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A page: its own inline script and style allowed by their hashes,
    /// nothing else (`SecurityHeaders` adds the rest to every reply).
    static func page(_ html: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = PagePolicy.contentSecurityPolicy(html)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A refusal thrown by the steps every route shares (who is calling,
    /// which file): Hummingbird sends its response, the audit records its
    /// status.
    struct Refused: HTTPResponseError {
        let response: Response
        var status: HTTPResponse.Status { response.status }
        func response(from request: Request, context: some RequestContext) -> Response { response }
    }

    /// A file name in the path that is not one plain name (`UploadName`).
    static let notAName = Refusal(status: 400, code: "E_FILENAME",
                                  zh: "文件名不合法：只能是一个文件名，不能含 /、\\、%2F、控制字符，不能以 . 开头，不超过 255 字节",
                                  en: "not a file name: one name without /, \\, %2F or control characters, not starting with a dot, at most 255 bytes")

    static func refusal(_ r: Refusal, _ language: Language) -> Response {
        var response = json(r.status, r.json(language))
        if r.status == 401 { response.headers[.wwwAuthenticate] = "Bearer realm=\"edupipe\"" }
        return response
    }

    /// The caller; throws the refusal (401, 403) as the response.
    private func signedIn(_ request: Request, _ context: ServeContext) async throws(Refused) -> Caller {
        let token = request.headers.bearer?.token
        // The accounts in memory answer nearly always; the ledger is read
        // (blocking, off the event loops) only when they must be reloaded.
        let result: Result<Caller, Refusal>
        if let cached = intake.cachedCaller(token: token) {
            result = cached
        } else {
            result = await Offload.run { [intake] in
                do throws(Refusal) { return .success(try intake.authenticate(token: token)) } catch { return .failure(error) }
            }
        }
        switch result {
        case .success(let c):
            context.audit.update { $0.account = c.account }
            return c
        case .failure(let r):
            throw Refused(response: Self.refusal(r, Self.language(request)))
        }
    }

    // MARK: routes

    private func template(_ request: Request, _ context: ServeContext) throws -> Response {
        var dataset = context.parameters.get("dataset") ?? ""
        let xml = dataset.hasSuffix(".xml")
        for ext in [".csv", ".xml"] where dataset.hasSuffix(ext) { dataset.removeLast(ext.count) }
        guard let d = intake.setup.config.datasets.named(dataset) else {
            return Self.json(404, Refusal(status: 404, code: "E_NOT_FOUND", zh: "没有名为 \(dataset) 的数据集", en: "no dataset \(dataset)").json(Self.language(request)))
        }
        let gb = request.uri.queryParameters.get("encoding")?.lowercased() == "gb18030"
        var county = "110101"
        if let c = request.uri.queryParameters.get("county"), c.utf8.count == 6, c.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            county = String(c)
        }
        var period = intake.setup.config.deadlines.keys.sorted().last ?? "2022-autumn"
        if let p = request.uri.queryParameters.get("period"), SubmissionName.isPeriod(String(p)) { period = String(p) }
        let bytes = Examples.template(intake.setup.config.datasetPlans[d.index], form: xml ? .xml : .csv, gb18030: gb, county: county, period: period)
        let fileName = "\(county)_\(d.rawValue)_\(period).\(xml ? "xml" : "csv")"
        return Response(status: .ok, headers: [
            .contentType: xml ? "application/xml" : (gb ? "text/csv; charset=gb18030" : "text/csv; charset=utf-8"),
            .contentDisposition: "attachment; filename=\"\(fileName)\"",
        ], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func me(_ request: Request, _ context: ServeContext) async throws -> Response {
        let c = try await signedIn(request, context)
        let config = intake.setup.config
        var w = JSONWriter()
        w.beginObject()
        w.int("account", Int(c.account.id))
        w.string("account_name", c.account.name)
        w.string("unit", c.unit)
        w.string("unit_name", c.unitName)
        w.string("level", c.level)
        w.string("scope", intake.setup.registry.scope)
        w.string("plan", config.plan)
        w.beginArray(key: "periods")
        for p in config.deadlines.keys.sorted() { w.string(nil, p) }
        w.endArray()
        w.beginObject(key: "deadlines")
        for (p, d) in config.deadlines.sorted(by: { $0.key < $1.key }) { w.string(p, d) }
        w.endObject()
        w.beginArray(key: "datasets")
        for d in config.datasets {
            let n = config.name(of: d)
            w.beginObject()
            w.string("name", d.rawValue)
            w.string("zh", n.zh)
            w.string("en", n.en)
            w.endObject()
        }
        w.endArray()
        w.int("max_bytes", intake.maxBytes)
        w.endObject()
        return Self.json(200, w.text + "\n")
    }

    private func upload(_ request: Request, _ context: ServeContext) async throws -> Response {
        let language = Self.language(request)
        let receivedAt = clock()
        let started = MonotonicClock.nanoseconds()
        let dryRun = ["1", "true", "yes"].contains(request.uri.queryParameters.get("dry_run")?.lowercased() ?? "")
        context.audit.update { $0.dryRun = dryRun }
        let c = try await signedIn(request, context)
        guard let fileName = context.parameters.get("name").flatMap({ UploadName.decode(Substring($0)) }) else {
            return Self.refusal(Self.notAName, language)
        }
        context.audit.update { $0.file.path = fileName }
        // Work is metered per account: too many at once, or an allowance
        // of decompressed bytes spent, waits (429 with Retry-After).
        if let wait = meter.enter(c.account.id) {
            var response = Self.refusal(Refusal(status: 429, code: "E_TOO_MANY",
                                                zh: "本账户的请求过多或检查的数据量已达上限：请 \(wait) 秒后再试",
                                                en: "too many requests or too much data checked for this account: try again in \(wait) seconds"), language)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        var work = 0
        defer { meter.leave(c.account.id, bytes: work) }
        let placement: Intake.Placement
        do throws(Intake.Unplaced) {
            placement = try intake.place(fileName: fileName, caller: c, language: language)
        } catch {
            switch error {
            case .refused(let r): return Self.refusal(r, language)
            case .verdict(let report):
                context.audit.update {
                    $0.file.verdict = "rejected"
                    $0.file.firstError = report.log.firstError?.rawValue
                    $0.file.errors = report.log.errorCount
                }
                let receipt = Receipt(fileName: fileName, path: "", sha256: "", bytes: 0, receivedAt: receivedAt, stored: false,
                                      dryRun: dryRun, report: report, standing: nil, language: language)
                return Self.json(422, receipt.json)
            }
        }
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let length = declared, length > intake.maxBytes {
            return Self.refusal(tooLarge(language), language)
        }
        if declared == 0 { return Self.refusal(Self.emptyBody, language) }
        // Only now, the token and the declared length passed: the client
        // may send its body.
        if request.headers[.expect]?.lowercased() == "100-continue" { await ContinueHandler.release(context.channel) }
        let file: IncomingFile
        do {
            file = try IncomingFile(inboxRoot: intake.inbox)
        } catch {
            return Self.refusal(Refusal(status: 500, code: "E_STORE", zh: "收件箱无法写入：\(error)", en: "the inbox cannot be written: \(error)"), language)
        }
        // The body, chunk by chunk, to the temporary file. A body cut off,
        // a client that stops sending (the server's idle timeout closes
        // the connection) or one past the limit leaves nothing behind.
        let bodyStarted = MonotonicClock.nanoseconds()
        var lastChunk = bodyStarted
        // Chunks gather in memory up to a megabyte and are written off the
        // event loops and Swift's cooperative threads (`Offload`); the last
        // of them goes with the validation and the rest of the upload's
        // way (`Intake.commit`): after its body, a small file waits once.
        var pending = ByteBuffer()
        var received = 0
        let audit = RequestRecord(at: receivedAt, accountID: c.account.id, unit: c.unit, method: "PUT",
                                  target: context.auditTarget, status: 0,
                                  milliseconds: 0)
        let outcome: Intake.Outcome?
        do {
            for try await chunk in request.body {
                received += chunk.readableBytes
                var chunk = chunk
                pending.writeBuffer(&chunk)
                if pending.readableBytes >= 1 << 20 {
                    let batch = pending
                    pending = ByteBuffer()
                    try await Offload.run { Result { try file.write(Array(batch.readableBytesView)) } }.get()
                }
                if received > intake.maxBytes {
                    file.discard()
                    return Self.refusal(tooLarge(language), language)
                }
                // A trickle ends: after the grace of one idle timeout the
                // body must keep up the minimum rate on average.
                lastChunk = MonotonicClock.nanoseconds()
                let seconds = Double(lastChunk - bodyStarted) / 1e9
                if seconds > Double(idleTimeout) && Double(received) < seconds * Double(minimumRate) {
                    file.discard()
                    context.audit.update { $0.file.bytes = received; $0.file.verdict = "incomplete" }
                    throw Refused(response: Self.refusal(Self.tooSlow(minimumRate), language))
                }
            }
            // The last chunk, the digest, the verdict, and the upload's way
            // on from there (the syncs, the locked step, the ledger): one
            // wait. Nil for an empty body.
            let batch = pending
            let intake = self.intake
            outcome = try await Offload.run { (done: @escaping @Sendable (Result<Intake.Outcome?, any Error>) -> Void) in
                do {
                    try file.write(Array(batch.readableBytesView))
                } catch {
                    return done(.failure(error))
                }
                file.finish()
                guard file.bytes > 0 else { return done(.success(nil)) }
                let checked = intake.check(file, at: placement, dryRun: dryRun, language: language, receivedAt: receivedAt)
                intake.commit(file, checked: checked, at: placement, dryRun: dryRun, caller: c, language: language,
                              receivedAt: receivedAt, audit: audit, started: started) { done(.success($0)) }
            }.get()
        } catch let refused as Refused {
            throw refused
        } catch {
            file.discard()
            context.audit.update { $0.file.bytes = received; $0.file.verdict = "incomplete" }
            // The client's fault, as the audit should say: a body cut short
            // or malformed (400), one that stopped coming until the idle
            // timeout closed it (408), or a client gone (499).
            let silent = Double(MonotonicClock.nanoseconds() - lastChunk) / 1e9
            let status = silent >= Double(idleTimeout) ? 408 : (Self.isMalformedBody(error) ? 400 : 499)
            throw Refused(response: Self.refusal(Refusal(status: status, code: status == 408 ? "E_TIMEOUT" : "E_BODY",
                                                         zh: "上传未完成：连接中断或请求体不完整", en: "the upload did not finish: the body was cut short or malformed"),
                                                 language))
        }
        guard let outcome else {
            file.discard()
            return Self.refusal(Self.emptyBody, language)
        }
        work = outcome.work
        context.audit.update {
            $0.file = outcome.facts
            $0.file.bytes = file.bytes
            $0.file.sha256 = file.sha256
            $0.recorded = outcome.status == 201
        }
        return Self.json(outcome.status, outcome.body)
    }

    /// An empty body: nothing to check and nothing stored, so a clerk's
    /// real upload of the name is not refused later (409).
    static let emptyBody = Refusal(status: 400, code: "E_EMPTY_BODY", zh: "上传的文件是空的（0 字节）：没有保存，请选择正确的文件再上传",
                                   en: "the upload is empty (0 bytes): nothing was stored; choose the file again")

    static func tooSlow(_ rate: Int) -> Refusal {
        Refusal(status: 408, code: "E_TIMEOUT", zh: "上传太慢（低于每秒 \(rate) 字节）：已中止，请检查网络后重试",
                en: "the upload was too slow (under \(rate) bytes a second) and was stopped: check the connection and send it again")
    }

    /// Whether a body error is the client's malformed framing (a bad chunk
    /// size, a body shorter than its Content-Length) rather than a gone
    /// connection.
    static func isMalformedBody(_ error: any Error) -> Bool {
        let text = String(describing: error).lowercased()
        return text.contains("parse") || text.contains("invalid") || text.contains("chunk") || text.contains("incomplete")
    }

    private func tooLarge(_ language: Language) -> Refusal {
        Refusal(status: 413, code: "E_TOO_LARGE", zh: "文件超过计划规定的上限 \(intake.maxBytes) 字节：请拆分或压缩后再传",
                en: "the file is larger than the plan's limit of \(intake.maxBytes) bytes")
    }

    /// Where the file named in the path is stored, for the routes that read
    /// one; throws the refusal as the response.
    private func existing(_ request: Request, _ context: ServeContext) async throws(Refused) -> Intake.Placement {
        let language = Self.language(request)
        let c = try await signedIn(request, context)
        guard let fileName = context.parameters.get("name").flatMap({ UploadName.decode(Substring($0)) }) else {
            throw Refused(response: Self.refusal(Self.notAName, language))
        }
        do throws(Intake.Unplaced) {
            let p = try intake.place(fileName: fileName, caller: c, language: language)
            context.audit.update { $0.file.path = p.path }
            return p
        } catch {
            if case .refused(let r) = error { throw Refused(response: Self.refusal(r, language)) }
            throw Refused(response: Self.refusal(Refusal(status: 404, code: "E_NOT_FOUND", zh: "没有这个文件", en: "no such file"), language))
        }
    }

    private func storedReceipt(_ request: Request, _ context: ServeContext) async throws -> Response {
        let placed = try await existing(request, context)
        let intake = self.intake
        let receipt = await Offload.run { try? intake.ledger.receipt(path: placed.path) }
        guard let receipt else {
            return Self.refusal(Refusal(status: 404, code: "E_NOT_FOUND", zh: "没有通过本服务上传的这个文件", en: "no file of this name was uploaded here"),
                                Self.language(request))
        }
        return Self.json(200, receipt.body)
    }

    private func errorsCSV(_ request: Request, _ context: ServeContext) async throws -> Response {
        let language = Self.language(request)
        let placed = try await existing(request, context)
        let intake = self.intake
        let csv: String? = await Offload.run {
            let path = intake.inbox + "/" + placed.path
            guard access(path, R_OK) == 0 else { return nil }
            let report = intake.validator(language).validate(path: path, displayPath: placed.path)
            return ContractFiles.errorsHeader + IssueSpool.rows(file: placed.path, report.log.all)
        }
        guard let csv else {
            return Self.refusal(Refusal(status: 404, code: "E_NOT_FOUND", zh: "收件箱中没有这个文件", en: "no such file in the inbox"), language)
        }
        // A BOM, so that Excel on a Chinese Windows opens it as UTF-8.
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8",
            .contentDisposition: "attachment; filename=\"\(placed.fileName).errors.csv\"",
            .cacheControl: "no-store",
        ], body: .init(byteBuffer: ByteBuffer(bytes: [0xEF, 0xBB, 0xBF] + Array(csv.utf8))))
    }

    private func status(_ request: Request, _ context: ServeContext) async throws -> Response {
        let language = Self.language(request)
        let c = try await signedIn(request, context)
        let period: String? = request.uri.queryParameters.get("period").map { String($0) }
        if let period, !SubmissionName.isPeriod(period) {
            return Self.refusal(Refusal(status: 400, code: "E_PERIOD", zh: "period 须为 YYYY-spring 或 YYYY-autumn", en: "period must be YYYY-spring or YYYY-autumn"), language)
        }
        let intake = self.intake
        let now = clock()
        let body: Result<String, Refusal> = await Offload.run {
            do { return .success(try intake.status(period: period, caller: c, now: now)) } catch {
                return .failure(Refusal(status: 503, code: "E_STATUS", zh: "暂时无法汇总报送情况：\(error)", en: "the status cannot be worked out now: \(error)"))
            }
        }
        switch body {
        case .success(let s): return Self.json(200, s)
        case .failure(let r): return Self.refusal(r, language)
        }
    }

    /// The counties the caller covers, with their names and prefectures: what
    /// the page needs to list an office's counties, reported or not.
    private func units(_ request: Request, _ context: ServeContext) async throws -> Response {
        let c = try await signedIn(request, context)
        let registry = intake.setup.registry
        var w = JSONWriter()
        w.beginObject()
        w.beginArray(key: "counties")
        for county in registry.counties where c.covers(county, in: registry) {
            w.beginObject()
            w.string("code", county)
            w.string("name", registry.units[county]?.name)
            w.string("prefecture", registry.prefecture(of: county).flatMap { registry.units[$0]?.name })
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return Self.json(200, w.text + "\n")
    }

    /// The night's outputs are for offices (a province, a prefecture or the
    /// nation), not for a county's account.
    private func office(_ request: Request, _ context: ServeContext) async throws(Refused) -> Caller {
        let c = try await signedIn(request, context)
        if c.level == "county" {
            throw Refused(response: Self.refusal(Refusal(status: 403, code: "E_FORBIDDEN", zh: "县级账户不能查看全省（全国）汇总",
                                                         en: "a county's account cannot read the offices' tables"), Self.language(request)))
        }
        return c
    }

    /// Which of a night's rows an office may read: its own unit and the
    /// units under it, and within the server's scope; only the national
    /// office reads the nation's row.
    func sees(_ caller: Caller, _ code: String) -> Bool {
        let registry = intake.setup.registry
        func under(_ unit: String, _ code: String) -> Bool {
            if unit == Registry.nationalCode { return true }
            if code == unit { return true }
            guard let u = registry.units[code] else { return false }
            switch u.level {
            case .county: return registry.covers(unit, county: code)
            case .prefecture: return u.parent == unit
            default: return false
            }
        }
        if code == Registry.nationalCode { return caller.unit == Registry.nationalCode && registry.scope == nil }
        return under(caller.unit, code) && (registry.scope.map { under($0, code) } ?? true)
    }

    /// Whether the whole of a run (its report and workbook) is the caller's
    /// to read: the run's scope (the nation when it had none) lies within
    /// what the caller sees.
    func seesWholeRun(_ caller: Caller, out: String) -> Bool {
        let scope = FinishedRun.planPaths(out: out).scope ?? Registry.nationalCode
        return sees(caller, scope)
    }

    private func latestRun(_ request: Request, _ context: ServeContext) async throws -> Response {
        let caller = try await office(request, context)
        let intake = self.intake
        let run = await Offload.run { try? intake.ledger.lastCompletedRun() }
        var w = JSONWriter()
        w.beginObject()
        if let run {
            let whole = seesWholeRun(caller, out: run.out)
            w.int("run", Int(run.id))
            w.string("started_at", LedgerTime.iso(run.startedAt))
            w.string("ended_at", run.endedAt.map(LedgerTime.iso))
            w.beginArray(key: "periods")
            for p in FinishedRun.periods(in: run.out) {
                w.beginObject()
                w.string("period", p)
                // The rows are filtered to the caller's units; the report
                // and workbook are whole, so only for a run of its scope.
                let files = whole ? [("report", "report.html"), ("workbook", "indicators.xlsx"), ("indicators", "indicators.csv"), ("quality", "quality.csv")]
                                  : [("indicators", "indicators.csv"), ("quality", "quality.csv")]
                for (key, file) in files where access(run.out + "/" + p + "/" + file, R_OK) == 0 {
                    w.string(key, "/api/v1/runs/latest/\(p)/\(file)")
                }
                w.endObject()
            }
            w.endArray()
        } else {
            w.value("run", "null")
        }
        w.endObject()
        return Self.json(200, w.text + "\n")
    }

    private func runFile(_ request: Request, _ context: ServeContext) async throws -> Response {
        let caller = try await office(request, context)
        let language = Self.language(request)
        let period = context.parameters.get("period") ?? ""
        let file = context.parameters.get("file") ?? ""
        let types = ["report.html": "text/html; charset=utf-8",
                     "indicators.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "indicators.csv": "text/csv; charset=utf-8",
                     "quality.csv": "text/csv; charset=utf-8"]
        guard SubmissionName.isPeriod(period), let type = types[file] else {
            return Self.refusal(Refusal(status: 404, code: "E_NOT_FOUND", zh: "没有这个文件", en: "no such file"), language)
        }
        let intake = self.intake
        let routes = self
        enum Found: Sendable { case bytes([UInt8]), missing, forbidden }
        let found: Found = await Offload.run {
            guard let run = try? intake.ledger.lastCompletedRun() else { return .missing }
            let path = run.out + "/" + period + "/" + file
            if file.hasSuffix(".csv") {
                // Rows of the caller's units only (the code is the third
                // column of indicators.csv, the second of quality.csv).
                guard let bytes = try? readWholeFile(path, limit: 512 << 20) else { return .missing }
                let column = file == "quality.csv" ? 1 : 2
                return .bytes(CSVRows.keeping(bytes, codeColumn: column) { routes.sees(caller, $0) })
            }
            guard routes.seesWholeRun(caller, out: run.out) else { return .forbidden }
            return (try? readWholeFile(path, limit: 512 << 20)).map { .bytes($0) } ?? .missing
        }
        switch found {
        case .missing:
            return Self.refusal(Refusal(status: 404, code: "E_NOT_FOUND", zh: "最近一次运行没有这个文件", en: "the last run has no such file"), language)
        case .forbidden:
            return Self.refusal(Refusal(status: 403, code: "E_FORBIDDEN",
                                        zh: "最近一次运行的报告和工作簿覆盖全国（或其他单位）：请查看本单位的 indicators.csv，或用 --scope 运行本单位的夜间任务",
                                        en: "the last run's report and workbook cover more than your unit: read its indicators.csv (your rows), or run your unit's own night with --scope"),
                                language)
        case .bytes(let bytes):
            var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
            if file != "report.html" { headers[.contentDisposition] = "attachment; filename=\"\(period)-\(file)\"" }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}

/// Lines of a contract CSV kept by the unit code in one column: the header
/// always, a row when `keep` says so. Codes are digits and come before any
/// quoted column, so the row is split at its first commas only.
enum CSVRows {
    static func keeping(_ bytes: [UInt8], codeColumn: Int, _ keep: (String) -> Bool) -> [UInt8] {
        var out: [UInt8] = []
        var first = true
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if line.isEmpty { continue }
            if first {
                first = false
                out += line
                out.append(0x0A)
                continue
            }
            let fields = line.split(separator: UInt8(ascii: ","), maxSplits: codeColumn + 1, omittingEmptySubsequences: false)
            guard fields.count > codeColumn, keep(String(decoding: fields[codeColumn], as: UTF8.self)) else { continue }
            out += line
            out.append(0x0A)
        }
        return out
    }
}
