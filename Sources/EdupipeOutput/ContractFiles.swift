import EdupipeSupport
import EdupipeAggregate

/// Writes the three contract outputs of section 5 (and the JSON and
/// duplicates files beside them), each atomically.
public enum ContractFiles {
    public static let submissionsHeader = "file,county,dataset,period,revision,status,records,errors,warnings,first_error\n"
    public static let errorsHeader = "file,line,column,code,message\n"
    public static let indicatorsHeader = "period,level,code,name,indicator,numerator,denominator,value,target,status\n"
    public static let qualityHeader = "period,code,name,check,subject,value,reference,flag\n"

    /// Creates the period folders and removes what a killed run left in
    /// them: before any writer starts, as a writer's own temporary file
    /// looks like a leftover.
    package static func prepare(out: String, periods: [String]) throws {
        for period in periods {
            let dir = out + "/" + period
            try makeDirectories(dir)
            AtomicFile.removeLeftovers(in: dir)
        }
    }

    /// Starts writing the contract files of `prepare`d folders on `jobs`
    /// threads; the caller `finish`es them.
    package static func start(out: String, submissions: [SubmissionRecord], spools: [IssueSpool],
                      tables: [IndicatorTable], views: [PeriodTables], duplicates: [String: CrossCountyDuplicates],
                      quality: [String: [QualityFlag]] = [:], jobs: Int) -> OutputTasks {
        // Each file is independent of the others, the largest first.
        var tasks: [OutputTasks.Task] = []
        for (table, view) in zip(tables, views) {
            let dir = out + "/" + table.period
            tasks.append { try stream(to: dir + "/indicators.json") { try indicatorsJSON(view, into: &$0, $1) } }
            tasks.append { try stream(to: dir + "/indicators.csv") { try indicatorsCSV(table, into: &$0, $1) } }
            let flags = quality[table.period] ?? []
            tasks.append { try stream(to: dir + "/quality.csv") { try qualityCSV(period: table.period, flags, into: &$0, $1) } }
            if let d = duplicates[table.period] {
                tasks.append { try stream(to: dir + "/duplicates.csv") { try duplicatesCSV(period: table.period, d, into: &$0, $1) } }
            }
        }
        tasks.append { try stream(to: out + "/submissions.csv") { try submissionsCSV(submissions, into: &$0, $1) } }
        tasks.append {
            let errors = try AtomicFile.Writer(path: out + "/errors.csv")
            try errors.append(errorsHeader)
            for i in submissions.indices {
                if let spool = submissions[i].spool { try spools[spool.worker].copy(spool.segment, to: errors) }
                if let issue = submissions[i].acceptanceIssue { try errors.append(IssueSpool.rows(file: submissions[i].path, [issue])) }
            }
            try errors.commit()
        }
        return OutputTasks(tasks, threads: jobs)
    }

    /// Writes the buffer's bytes out and empties it.
    public typealias Flush = (inout TextBuffer) throws -> Void

    /// Runs `body` with a buffer whose contents go to `path` in pieces (the
    /// body calls `flush` when the buffer is large), committed atomically.
    public static func stream(to path: String, _ body: (inout TextBuffer, Flush) throws -> Void) throws {
        let writer = try AtomicFile.Writer(path: path)
        var buffer = TextBuffer()
        let flush: Flush = { b in
            try writer.append(b.bytes)
            b.clear()
        }
        try body(&buffer, flush)
        try flush(&buffer)
        try writer.commit()
    }

    @inline(__always)
    package static func rowDone(_ b: inout TextBuffer, _ flush: Flush) throws {
        if b.count >= 1 << 16 { try flush(&b) }
    }

    public static func submissionsCSV(_ submissions: [SubmissionRecord], into b: inout TextBuffer, _ flush: Flush) throws {
        b.append(submissionsHeader)
        // In place: see `SubmissionRecord`.
        for i in submissions.indices {
            let name = submissions[i].name
            b.csvField(submissions[i].path); b.append(0x2C)
            b.csvField(name?.county); b.append(0x2C)
            b.csvField(name?.dataset.rawValue); b.append(0x2C)
            b.csvField(name?.period); b.append(0x2C)
            if let n = name { b.appendInt(n.revision) }
            b.append(0x2C)
            b.append(submissions[i].status.rawValue); b.append(0x2C)
            b.appendInt(submissions[i].records); b.append(0x2C)
            b.appendInt(submissions[i].errors); b.append(0x2C)
            b.appendInt(submissions[i].warnings); b.append(0x2C)
            b.csvField(submissions[i].firstError?.rawValue)
            b.append(0x0A)
            try rowDone(&b, flush)
        }
    }

    /// A row's value as written: six decimals, the count, or nothing.
    @inline(__always)
    static func value(_ r: IndicatorRow, into b: inout TextBuffer, empty: StaticString) {
        if r.status == .noData { return b.append(empty) }
        b.appendValue(r.numerator, over: r.denominator)
    }

    public static func indicatorsCSV(_ table: IndicatorTable, into b: inout TextBuffer, _ flush: Flush) throws {
        b.append(indicatorsHeader)
        var period = TextBuffer(capacity: 32)
        period.csvField(table.period)
        var lastUnit: IndicatorUnit?
        var unit = TextBuffer(capacity: 128)
        for r in table.rows {
            // level,code,name is the same for all of a unit's rows.
            if r.unit !== lastUnit {
                lastUnit = r.unit
                unit.clear()
                unit.append(r.level.rawValue); unit.append(0x2C)
                unit.append(r.code); unit.append(0x2C)
                unit.csvField(r.name); unit.append(0x2C)
            }
            b.append(period.bytes); b.append(0x2C)
            b.append(unit.bytes)
            b.append(r.unit.catalog.entries[r.entry].name); b.append(0x2C)
            b.appendInt(r.numerator); b.append(0x2C)
            if let d = r.denominator { b.appendInt(d) }
            b.append(0x2C)
            value(r, into: &b, empty: "")
            b.append(0x2C)
            if let t = r.target { b.append(t.text) }
            b.append(0x2C)
            b.append(r.status.rawValue)
            b.append(0x0A)
            try rowDone(&b, flush)
        }
    }

    /// The same rows typed: numbers as numbers, null where the CSV is empty.
    /// Written from the people's tables, so `edupipe export` rebuilds the
    /// same bytes from `indicators.csv`.
    public static func indicatorsJSON(_ t: PeriodTables, into b: inout TextBuffer, _ flush: Flush) throws {
        b.append("[\n" as StaticString)
        var period = TextBuffer(capacity: 32)
        period.jsonString(t.period)
        var unitText = TextBuffer(capacity: 160)
        var first = true
        for level in [Registry.Level.national, .province, .prefecture, .county] {
            for unit in t.rows(level) {
                unitText.clear()
                unitText.append(",\"level\":\"" as StaticString); unitText.append(unit.level.rawValue)
                unitText.append("\",\"code\":\"" as StaticString); unitText.append(unit.code)
                unitText.append("\",\"name\":" as StaticString); unitText.jsonString(unit.name)
                let targets = unit.cells.targets
                for (entry, cell) in unit.cells.present {
                    if !first { b.append(",\n" as StaticString) }
                    first = false
                    b.append("{\"period\":" as StaticString); b.append(period.bytes)
                    b.append(unitText.bytes)
                    b.append(",\"indicator\":\"" as StaticString); b.append(t.catalog.entries[entry].name)
                    b.append("\",\"numerator\":" as StaticString); b.appendInt(cell.numerator)
                    b.append(",\"denominator\":" as StaticString)
                    if let d = cell.denominator { b.appendInt(d) } else { b.append("null" as StaticString) }
                    b.append(",\"value\":" as StaticString)
                    if cell.status == .noData {
                        b.append("null" as StaticString)
                    } else {
                        b.appendValue(cell.numerator, over: cell.denominator)
                    }
                    b.append(",\"target\":" as StaticString); b.jsonString(targets[entry]?.text)
                    b.append(",\"status\":\"" as StaticString); b.append(cell.status.rawValue)
                    b.append("\"}" as StaticString)
                    try rowDone(&b, flush)
                }
            }
        }
        b.append(first ? "]\n" as StaticString : "\n]\n" as StaticString)
    }

    /// `quality.csv` (section 8.4): one row per flag, the header alone when
    /// there is none.
    public static func qualityCSV(period: String, _ flags: [QualityFlag], into b: inout TextBuffer, _ flush: Flush) throws {
        b.append(qualityHeader)
        for f in flags {
            b.csvField(period); b.append(0x2C)
            b.csvField(f.code); b.append(0x2C)
            b.csvField(f.name); b.append(0x2C)
            b.append(f.check.rawValue); b.append(0x2C)
            b.csvField(f.subject); b.append(0x2C)
            b.csvField(f.value); b.append(0x2C)
            b.csvField(f.reference); b.append(0x2C)
            b.append(f.flag)
            b.append(0x0A)
            try rowDone(&b, flush)
        }
    }

    public static func duplicatesCSV(period: String, _ d: CrossCountyDuplicates, into b: inout TextBuffer, _ flush: Flush) throws {
        b.append("period,student_key,counties\n" as StaticString)
        for entry in d.listed {
            b.csvField(period); b.append(0x2C)
            b.append(entry.key); b.append(0x2C)
            b.append(entry.counties.joined(separator: ";"))
            b.append(0x0A)
            try rowDone(&b, flush)
        }
    }
}
