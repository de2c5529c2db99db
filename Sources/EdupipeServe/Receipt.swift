import EdupipeInput
import EdupipeStandard
import EdupipeAggregate
import EdupipeOutput
import EdupipeRun

/// The answer to an upload: the file, its SHA-256 and size, when it came,
/// whether it was stored, the verdict exactly as `edupipe validate --format
/// json` gives it, and what acceptance will do with it as the inbox stands.
struct Receipt: Sendable {
    let fileName: String
    /// Its inbox path, where the night's run reads it.
    let path: String
    let sha256: String
    let bytes: Int
    let receivedAt: Int64
    let stored: Bool
    let dryRun: Bool
    let report: FileReport
    let standing: Standing?
    let language: Language
    /// Quality flags that concern the file (section 8), in force or not yet.
    var quality: [QualityFlag] = []

    var json: String {
        var verdict = JSONWriter()
        ValidationReport.file(report, into: &verdict)
        var w = JSONWriter()
        w.beginObject()
        w.string("file", fileName)
        w.string("path", path)
        w.string("sha256", sha256)
        w.int("bytes", bytes)
        w.string("received_at", LedgerTime.iso(receivedAt))
        w.bool("stored", stored)
        w.bool("dry_run", dryRun)
        w.string("verdict", report.isValid ? "accepted" : "rejected")
        w.int("records", report.records)
        w.int("errors", report.log.errorCount)
        w.value("validation", verdict.text)
        if let standing {
            w.beginObject(key: "acceptance")
            w.string("status", standing.kind.rawValue)
            other(&w, "in_force_before", standing.before)
            other(&w, "in_force_after", standing.after)
            w.beginArray(key: "conflicting")
            for c in standing.conflicting { w.string(nil, c) }
            w.endArray()
            w.string("message", standing.message(language, revision: report.name?.revision ?? 1))
            w.endObject()
        } else {
            w.value("acceptance", "null")
        }
        ValidationReport.quality(quality, language: language, into: &w)
        w.endObject()
        // Whatever a name or a message quotes: no full resident ID leaves.
        return ResidentIDMask.scrub(w.text) + "\n"
    }

    private func other(_ w: inout JSONWriter, _ key: String, _ o: Standing.Other?) {
        guard let o else { w.value(key, "null"); return }
        w.beginObject(key: key)
        w.string("path", o.path)
        w.int("revision", o.revision)
        w.endObject()
    }
}
