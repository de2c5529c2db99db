/// Writes the three contract outputs of section 5 (and the JSON and
/// duplicates files beside them), each atomically.
public enum ContractFiles {
    public static let submissionsHeader = "file,county,dataset,period,revision,status,records,errors,warnings,first_error\n"
    public static let errorsHeader = "file,line,column,code,message\n"
    public static let indicatorsHeader = "period,level,code,name,indicator,numerator,denominator,value,target,status\n"

    static func write(out: String, submissions: [SubmissionRecord], spools: [IssueSpool],
                      tables: [IndicatorTable], duplicates: [String: CrossCountyDuplicates]) throws {
        for table in tables {
            let dir = out + "/" + table.period
            try InstallationSecret.makeDirectory(dir)
            AtomicFile.removeLeftovers(in: dir)
            try stream(to: dir + "/indicators.csv") { try indicatorsCSV(table, into: $0) }
            try stream(to: dir + "/indicators.json") { try indicatorsJSON(table, into: $0) }
            if let d = duplicates[table.period] {
                try stream(to: dir + "/duplicates.csv") { try duplicatesCSV(period: table.period, d, into: $0) }
            }
        }
        try stream(to: out + "/submissions.csv") { try submissionsCSV(submissions, into: $0) }

        let errors = try AtomicFile.Writer(path: out + "/errors.csv")
        try errors.append(errorsHeader)
        for s in submissions {
            if let spool = s.spool { try spools[spool.worker].copy(spool.segment, to: errors) }
            if let issue = s.acceptanceIssue { try errors.append(IssueSpool.rows(file: s.path, [issue])) }
        }
        try errors.commit()
    }

    /// Hands out a buffer whose contents go to `path` in chunks, committed
    /// atomically at the end.
    public final class Sink {
        var buffer = TextBuffer()
        let flush: (inout TextBuffer) throws -> Void
        init(flush: @escaping (inout TextBuffer) throws -> Void) { self.flush = flush }
        /// Call after each row: writes the buffer out once it is large.
        func rowDone() throws { if buffer.count >= 1 << 16 { try flush(&buffer) } }
    }

    public static func stream(to path: String, _ body: (Sink) throws -> Void) throws {
        let writer = try AtomicFile.Writer(path: path)
        let sink = Sink { buffer in
            try writer.append(buffer.bytes)
            buffer.clear()
        }
        try body(sink)
        try sink.flush(&sink.buffer)
        try writer.commit()
    }

    /// The whole text of one output, for tests and exports.
    public static func text(_ body: (Sink) throws -> Void) rethrows -> String {
        var out: [UInt8] = []
        let sink = Sink { buffer in
            out += buffer.bytes
            buffer.clear()
        }
        try body(sink)
        out += sink.buffer.bytes
        return String(decoding: out, as: UTF8.self)
    }

    public static func submissionsCSV(_ submissions: [SubmissionRecord], into sink: Sink) throws {
        sink.buffer.append(submissionsHeader)
        for s in submissions {
            let b = sink
            b.buffer.csvField(s.path); b.buffer.append(0x2C)
            b.buffer.csvField(s.name?.county); b.buffer.append(0x2C)
            b.buffer.csvField(s.name?.dataset.rawValue); b.buffer.append(0x2C)
            b.buffer.csvField(s.name?.period); b.buffer.append(0x2C)
            if let n = s.name { b.buffer.appendInt(n.revision) }
            b.buffer.append(0x2C)
            b.buffer.append(s.status.rawValue); b.buffer.append(0x2C)
            b.buffer.appendInt(s.records); b.buffer.append(0x2C)
            b.buffer.appendInt(s.errors); b.buffer.append(0x2C)
            b.buffer.appendInt(s.warnings); b.buffer.append(0x2C)
            b.buffer.csvField(s.firstError?.rawValue)
            b.buffer.append(0x0A)
            try sink.rowDone()
        }
    }

    public static func indicatorsCSV(_ table: IndicatorTable, into sink: Sink) throws {
        sink.buffer.append(indicatorsHeader)
        for r in table.rows {
            sink.buffer.csvField(r.period); sink.buffer.append(0x2C)
            sink.buffer.append(r.level.rawValue); sink.buffer.append(0x2C)
            sink.buffer.append(r.code); sink.buffer.append(0x2C)
            sink.buffer.csvField(r.name); sink.buffer.append(0x2C)
            sink.buffer.append(r.indicator); sink.buffer.append(0x2C)
            sink.buffer.appendInt(r.numerator); sink.buffer.append(0x2C)
            if let d = r.denominator { sink.buffer.appendInt(d) }
            sink.buffer.append(0x2C)
            if let v = r.value { sink.buffer.append(v) }
            sink.buffer.append(0x2C)
            if let t = r.target { sink.buffer.append(t.text) }
            sink.buffer.append(0x2C)
            sink.buffer.append(r.status.rawValue)
            sink.buffer.append(0x0A)
            try sink.rowDone()
        }
    }

    /// The same rows typed: numbers as numbers, null where the CSV is empty.
    public static func indicatorsJSON(_ table: IndicatorTable, into sink: Sink) throws {
        sink.buffer.append("[\n")
        for (i, r) in table.rows.enumerated() {
            let b = sink
            b.buffer.append("{\"period\":"); b.buffer.jsonString(r.period)
            b.buffer.append(",\"level\":\""); b.buffer.append(r.level.rawValue)
            b.buffer.append("\",\"code\":\""); b.buffer.append(r.code)
            b.buffer.append("\",\"name\":"); b.buffer.jsonString(r.name)
            b.buffer.append(",\"indicator\":\""); b.buffer.append(r.indicator)
            b.buffer.append("\",\"numerator\":"); b.buffer.appendInt(r.numerator)
            b.buffer.append(",\"denominator\":")
            if let d = r.denominator { b.buffer.appendInt(d) } else { b.buffer.append("null") }
            b.buffer.append(",\"value\":"); b.buffer.append(r.value ?? "null")
            b.buffer.append(",\"target\":"); b.buffer.jsonString(r.target?.text)
            b.buffer.append(",\"status\":\""); b.buffer.append(r.status.rawValue)
            b.buffer.append(i + 1 < table.rows.count ? "\"},\n" : "\"}\n")
            try sink.rowDone()
        }
        sink.buffer.append("]\n")
    }

    public static func duplicatesCSV(period: String, _ d: CrossCountyDuplicates, into sink: Sink) throws {
        sink.buffer.append("period,student_key,counties\n")
        for entry in d.listed {
            sink.buffer.csvField(period); sink.buffer.append(0x2C)
            sink.buffer.append(entry.key); sink.buffer.append(0x2C)
            sink.buffer.append(entry.counties.joined(separator: ";"))
            sink.buffer.append(0x0A)
            try sink.rowDone()
        }
    }
}
