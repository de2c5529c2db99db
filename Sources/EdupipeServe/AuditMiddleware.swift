import Hummingbird
import Logging
#if canImport(Glibc)
import Glibc
#endif
import EdupipeInput
import EdupipeRun
import EdupipeSupport

/// Every request into the JSON log and the ledger's `request` table: when,
/// which account and unit, method and target, status, the file, its
/// verdict, bytes and milliseconds. Targets and paths pass the resident-ID
/// mask on their way in; no request body is ever logged.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = ServeContext
    let ledger: Ledger
    let logger: Logger
    /// The log file's lines, written without the logger when there is one.
    let lines: JSONLines?
    let clock: @Sendable () -> Int64

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response) async throws -> Response {
        let started = MonotonicClock.nanoseconds()
        var context = context
        context.auditTarget = Self.target(request)
        let target = context.auditTarget
        let note = context.audit
        func audit(_ status: Int) async {
            let ms = Int((MonotonicClock.nanoseconds() - started) / 1_000_000)
            await write(request: request, target: target, note: note.current, status: status, milliseconds: ms)
        }
        do {
            let response = try await next(request, context)
            await audit(Int(response.status.code))
            return response
        } catch let error as any HTTPResponseError {
            await audit(Int(error.status.code))
            throw error
        } catch {
            await audit(500)
            throw error
        }
    }

    /// The log line, and the ledger's row unless the upload wrote it with
    /// its receipt; the row's commit is waited for suspended, not on one of
    /// Swift's cooperative threads.
    private func write(request: Request, target: String, note: AuditNote.Details, status: Int, milliseconds: Int) async {
        let file = note.file
        // In the order of their keys, as the logger's handler sorts them.
        var fields: [(key: String, value: String)] = []
        fields.reserveCapacity(12)
        if let a = note.account { fields.append(("account", String(a.id))) }
        if let a = file.acceptance { fields.append(("acceptance", a)) }
        if let b = file.bytes { fields.append(("bytes", String(b))) }
        if note.dryRun { fields.append(("dry_run", "1")) }
        if let e = file.firstError { fields.append(("first_error", e)) }
        fields.append(("method", request.method.rawValue))
        fields.append(("ms", String(milliseconds)))
        if let p = file.path { fields.append(("path", ResidentIDMask.scrub(p))) }
        fields.append(("status", String(status)))
        fields.append(("target", target))
        if let a = note.account { fields.append(("unit", a.unit)) }
        if let v = file.verdict { fields.append(("verdict", v)) }
        if let lines {
            lines.write("request", fields: fields)
        } else {
            logger.info("request", metadata: Logger.Metadata(uniqueKeysWithValues: fields.map { ($0.key, .string($0.value)) }))
        }
        guard !note.recorded else { return }
        var row = RequestRecord(at: clock(), accountID: note.account?.id, unit: note.account?.unit, method: request.method.rawValue,
                                target: target, status: status, milliseconds: milliseconds)
        row.file = file
        row.file.path = file.path.map(ResidentIDMask.scrub)
        row.dryRun = note.dryRun
        do {
            try await ledger.record(row, start: Offload.lead)
        } catch {
            logger.error("the ledger did not take the request's row: \(error)")
        }
    }

    /// The request's target as logs and the ledger keep it: the path only
    /// (a query may hold anything, a token sent by mistake among it),
    /// percent-decoded, then masked, so an ID sent as `%31%31…` is masked
    /// too; control characters shown as `?`.
    static func target(_ request: Request) -> String {
        let raw = Array(request.uri.path.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        while i < raw.count {
            if raw[i] == UInt8(ascii: "%"), i + 2 < raw.count, let h = hex(raw[i + 1]), let l = hex(raw[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(raw[i])
                i += 1
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return ShownText.prepare(text, limit: 1024)
    }
}
