import EdupipeOutput

/// `edupipe history` as text or JSON: recent runs, newest first, with their
/// outcome, files by status, and what changed since the run before; and
/// beside them the files sent to `edupipe serve` (uploads and dry runs).
public enum HistoryReport {
    public static func text(_ runs: [(LedgerRun, [LedgerChange])], uploads: [RequestRecord] = [], pathsPerKind: Int = 5) -> String {
        guard !runs.isEmpty || !uploads.isEmpty else { return "edupipe history: no run recorded yet\n" }
        return (runs.isEmpty ? "no run recorded yet\n" : runsText(runs, pathsPerKind: pathsPerKind)) + uploadsText(uploads)
    }

    static func uploadsText(_ uploads: [RequestRecord]) -> String {
        guard !uploads.isEmpty else { return "" }
        var rows = [["uploaded", "account", "unit", "status", "file", "bytes", "verdict", "acceptance", "ms"]]
        for u in uploads {
            rows.append([LedgerTime.text(u.at), u.accountID.map(String.init) ?? "-", u.unit ?? "-", String(u.status),
                         u.file.path ?? u.target, u.file.bytes.map(String.init) ?? "-",
                         (u.file.verdict ?? "-") + (u.file.firstError.map { " \($0)" } ?? ""),
                         (u.file.acceptance ?? "-") + (u.dryRun ? " (dry run)" : ""), String(u.milliseconds)])
        }
        return "\nuploads, newest first:\n" + DisplayWidth.table(rows)
    }

    static func runsText(_ runs: [(LedgerRun, [LedgerChange])], pathsPerKind: Int) -> String {
        var s = "run   started                      took    outcome      files  accepted  superseded  duplicate  rejected\n"
        for (run, changes) in runs {
            let took = run.endedAt.map { "\($0 - run.startedAt) s" } ?? "-"
            var line = pad("\(run.id)", 6) + pad(LedgerTime.text(run.startedAt), 29) + pad(took, 8) + pad(run.outcome, 12)
            line += lpad(run.files.map(String.init) ?? "-", 6)
            for (i, (_, n)) in run.statuses.enumerated() { line += lpad(run.files == nil ? "-" : "\(n)", [10, 12, 11, 10][i]) }
            s += line + "\n"
            if let message = run.message { s += "      \(message)\n" }
            guard run.outcome == "completed" else { continue }
            s += "      changes: " + run.changes.map { "\($1) \($0.rawValue)" }.joined(separator: ", ") + "\n"
            for kind in LedgerChange.Kind.allCases {
                let some = changes.filter { $0.kind == kind }
                guard !some.isEmpty else { continue }
                let shown = some.prefix(pathsPerKind).map { $0.path + ($0.detail.map { " (\($0))" } ?? "") }
                s += "        \(kind.rawValue): " + shown.joined(separator: "; ") + (some.count > shown.count ? "; and \(some.count - shown.count) more" : "") + "\n"
            }
        }
        return s
    }

    /// Runs, then uploads (objects with an `upload` key), each newest first.
    public static func json(_ runs: [(LedgerRun, [LedgerChange])], uploads: [RequestRecord] = []) -> String {
        var json = JSONWriter()
        json.beginArray()
        for (run, changes) in runs {
            json.beginObject()
            json.value("run", String(run.id))
            json.string("started_at", LedgerTime.iso(run.startedAt))
            json.string("ended_at", run.endedAt.map(LedgerTime.iso))
            json.string("outcome", run.outcome)
            json.string("message", run.message)
            json.string("edupipe_version", run.version)
            json.string("inbox", run.inbox)
            json.string("out", run.out)
            json.string("pipeline_sha256", run.pipelineSHA256)
            json.string("registry_sha256", run.registrySHA256)
            json.int("files", run.files)
            json.beginObject(key: "statuses")
            for (status, n) in run.statuses { json.int(status, n) }
            json.endObject()
            json.beginObject(key: "changes")
            for kind in LedgerChange.Kind.allCases {
                json.beginArray(key: kind.rawValue)
                for c in changes where c.kind == kind { json.string(nil, c.path) }
                json.endArray()
            }
            json.endObject()
            json.endObject()
        }
        for u in uploads {
            json.beginObject()
            json.string("upload", LedgerTime.iso(u.at))
            json.int("account", u.accountID.map(Int.init))
            json.string("unit", u.unit)
            json.string("target", u.target)
            json.int("status", u.status)
            json.string("path", u.file.path)
            json.string("sha256", u.file.sha256)
            json.int("bytes", u.file.bytes)
            json.string("verdict", u.file.verdict)
            json.string("acceptance", u.file.acceptance)
            json.int("records", u.file.records)
            json.int("errors", u.file.errors)
            json.string("first_error", u.file.firstError)
            json.bool("dry_run", u.dryRun)
            json.int("ms", u.milliseconds)
            json.endObject()
        }
        json.endArray()
        return json.text + "\n"
    }
}
