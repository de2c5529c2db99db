import EdupipeAggregate
import EdupipeOutput

/// `<out>/run.json`: the run as the ledger records it, and every input file
/// with its size, SHA-256 and status, so each table can be traced to the
/// exact bytes it was computed from (the files with status `accepted`).
/// Not a contract output: it holds times, so it differs from run to run.
public enum RunRecord {
    public static let fileName = "run.json"

    static func write(_ result: NightlyRun.Result, runID: Int64?, start: LedgerRunStart, endedAt: Int64) throws {
        var json = JSONWriter()
        json.beginObject()
        json.value("run", runID.map(String.init) ?? "null")
        json.string("edupipe_version", EdupipeVersion.current)
        json.string("started_at", LedgerTime.iso(start.startedAt))
        json.string("ended_at", LedgerTime.iso(endedAt))
        json.string("inbox", start.inbox)
        json.string("out", start.out)
        for (key, path, sha256) in [("pipeline", start.pipelinePath, start.pipelineSHA256),
                                    ("registry", start.registryPath, start.registrySHA256)] {
            json.beginObject(key: key)
            json.string("path", path)
            json.string("sha256", sha256)
            json.endObject()
        }
        if let scope = start.scope { json.string("scope", scope) }
        json.beginArray(key: "periods")
        for t in result.tables { json.string(nil, t.period) }
        json.endArray()
        json.beginObject(key: "files")
        json.int("total", result.submissions.count)
        for status in SubmissionStatus.allCases {
            json.int(status.rawValue, result.submissions.count(of: status))
        }
        json.endObject()
        json.value("inputs", "")
        // The header is small; the inputs (one per file) are streamed.
        let head = json.text
        try ContractFiles.stream(to: start.out + "/" + fileName) { b, flush in
            b.append(head)
            b.append(0x5B)
            // In place: see `SubmissionRecord`.
            let submissions = result.submissions
            for i in submissions.indices {
                if i > 0 { b.append(0x2C) }
                b.append("{\"path\":" as StaticString); b.jsonString(submissions[i].path)
                b.append(",\"size\":" as StaticString); int(submissions[i].file?.size, &b)
                b.append(",\"sha256\":" as StaticString)
                if let file = submissions[i].file {
                    b.append(0x22); b.appendHex(file.sha256); b.append(0x22)
                } else {
                    b.append("null" as StaticString)
                }
                b.append(",\"status\":" as StaticString); b.jsonString(submissions[i].status.rawValue)
                let name = submissions[i].name
                b.append(",\"county\":" as StaticString); b.jsonString(name?.county)
                b.append(",\"dataset\":" as StaticString); b.jsonString(name?.dataset.rawValue)
                b.append(",\"period\":" as StaticString); b.jsonString(name?.period)
                b.append(",\"revision\":" as StaticString); int(name?.revision, &b)
                b.append(0x7D)
                try ContractFiles.rowDone(&b, flush)
            }
            b.append("]}\n" as StaticString)
        }
    }

    private static func int(_ n: Int?, _ b: inout TextBuffer) {
        if let n { b.appendInt(n) } else { b.append("null" as StaticString) }
    }
}
