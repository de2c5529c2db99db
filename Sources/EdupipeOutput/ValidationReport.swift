import EdupipeInput
import EdupipeStandard
import EdupipeAggregate

/// Renders the result of `edupipe validate` for a clerk (text) or a
/// program (JSON): per file accepted or rejected, the record count, and
/// every error and warning with line, column, code and message.
public enum ValidationReport {
    /// `quality`: the quality flags of each file (by its path), from
    /// `validate --inbox`: said after its issues, never a rejection.
    public static func text(_ reports: [FileReport], language: Language = .en, quality: [String: [QualityFlag]] = [:]) -> String {
        let zh = language == .zh
        var out = ""
        for r in reports {
            let path = ResidentIDMask.scrub(r.path)
            let verdict = r.isValid ? (zh ? "通过" : "accepted") : (zh ? "拒收" : "rejected")
            var facts: [String]
            if zh {
                facts = ["\(r.records) 条记录", "\(r.log.errorCount) 个错误", "\(r.log.warningCount) 个警告"]
            } else {
                facts = ["\(r.records) record\(r.records == 1 ? "" : "s")"]
                facts.append("\(r.log.errorCount) error\(r.log.errorCount == 1 ? "" : "s")")
                facts.append("\(r.log.warningCount) warning\(r.log.warningCount == 1 ? "" : "s")")
            }
            if let encoding = r.encoding { facts.append(encoding) }
            out += zh ? "\(path)：\(verdict)（\(facts.joined(separator: "，"))）\n" : "\(path): \(verdict) (\(facts.joined(separator: ", ")))\n"
            for issue in r.log.all {
                out += "  \(path):\(issue.line.map(String.init) ?? "-"): \(issue.column ?? "-"): \(issue.code.rawValue): \(issue.message)\n"
            }
            for flag in quality[r.path] ?? [] {
                out += (zh ? "  数据质量核查（不影响接收）：" : "  quality check (the file is still accepted): ") + (zh ? flag.message.zh : flag.message.en) + "\n"
            }
        }
        let rejected = reports.filter { !$0.isValid }.count
        out += zh ? "共 \(reports.count) 个文件：通过 \(reports.count - rejected) 个，拒收 \(rejected) 个\n"
            : "\(reports.count) file\(reports.count == 1 ? "" : "s"): \(reports.count - rejected) accepted, \(rejected) rejected\n"
        return out
    }

    public static func json(_ reports: [FileReport], language: Language = .en, quality: [String: [QualityFlag]]? = nil) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.beginArray(key: "files")
        for r in reports { file(r, into: &w, quality: quality.map { ($0[r.path] ?? [], language) }) }
        w.endArray()
        let rejected = reports.filter { !$0.isValid }.count
        w.int("accepted", reports.count - rejected)
        w.int("rejected", rejected)
        w.endObject()
        return w.text + "\n"
    }

    /// One file's verdict as `validate --format json` gives it; the
    /// receipts of `edupipe serve` carry the same object.
    public static func file(_ r: FileReport, into w: inout JSONWriter, quality: ([QualityFlag], Language)? = nil) {
        // A clerk may name a file after a child's ID: the path is masked
        // like every message (section 6).
        let path = ResidentIDMask.scrub(r.path)
        w.beginObject()
        w.string("file", path)
        w.string("status", r.isValid ? "accepted" : "rejected")
        w.string("county", r.name?.county)
        w.string("dataset", r.name?.dataset.rawValue)
        w.string("period", r.name?.period)
        w.int("revision", r.name?.revision)
        w.string("encoding", r.encoding)
        w.int("records", r.records)
        w.int("errors", r.log.errorCount)
        w.int("warnings", r.log.warningCount)
        w.string("first_error", r.log.firstError?.rawValue)
        w.beginArray(key: "issues")
        for issue in r.log.all {
            w.beginObject()
            w.string("file", path)
            w.int("line", issue.line)
            w.string("column", issue.column)
            w.string("code", issue.code.rawValue)
            w.string("severity", issue.isWarning ? "warning" : "error")
            w.string("message", issue.message)
            w.endObject()
        }
        w.endArray()
        if let (flags, language) = quality { self.quality(flags, language: language, into: &w) }
        w.endObject()
    }

    /// `"quality": [...]`: each flag's check, subject, value, reference,
    /// direction and message in `language`.
    public static func quality(_ flags: [QualityFlag], language: Language, into w: inout JSONWriter) {
        w.beginArray(key: "quality")
        for f in flags {
            w.beginObject()
            w.string("check", f.check.rawValue)
            w.string("subject", f.subject)
            w.string("value", f.value)
            w.string("reference", f.reference)
            w.string("flag", f.flag)
            w.string("message", language == .zh ? f.message.zh : f.message.en)
            w.endObject()
        }
        w.endArray()
    }
}
