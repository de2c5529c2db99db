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
            try AtomicFile.write(indicatorsCSV(table), to: dir + "/indicators.csv")
            try AtomicFile.write(indicatorsJSON(table), to: dir + "/indicators.json")
            if let d = duplicates[table.period] { try AtomicFile.write(duplicatesCSV(period: table.period, d), to: dir + "/duplicates.csv") }
        }
        try AtomicFile.write(submissionsCSV(submissions), to: out + "/submissions.csv")

        let errors = try AtomicFile.Writer(path: out + "/errors.csv")
        try errors.append(errorsHeader)
        for s in submissions {
            if let spool = s.spool { try spools[spool.worker].copy(spool.segment, to: errors) }
            if let issue = s.acceptanceIssue { try errors.append(IssueSpool.rows(file: s.path, [issue])) }
        }
        try errors.commit()
    }

    public static func submissionsCSV(_ submissions: [SubmissionRecord]) -> String {
        var out = submissionsHeader
        for s in submissions {
            out += CSVLine.make([s.path, s.name?.county, s.name?.dataset.rawValue, s.name?.period,
                                 s.name.map { String($0.revision) }, s.status.rawValue, String(s.records),
                                 String(s.errors), String(s.warnings), s.firstError?.rawValue])
        }
        return out
    }

    public static func indicatorsCSV(_ table: IndicatorTable) -> String {
        var out = indicatorsHeader
        out.reserveCapacity(table.rows.count * 90)
        for r in table.rows {
            out += CSVLine.make([r.period, r.level.rawValue, r.code, r.name, r.indicator, String(r.numerator),
                                 r.denominator.map(String.init), r.value, r.target?.text, r.status.rawValue])
        }
        return out
    }

    /// The same rows typed: numbers as numbers, null where the CSV is empty.
    public static func indicatorsJSON(_ table: IndicatorTable) -> String {
        var text = "[\n"
        for (i, r) in table.rows.enumerated() {
            var w = JSONWriter()
            w.beginObject()
            w.string("period", r.period)
            w.string("level", r.level.rawValue)
            w.string("code", r.code)
            w.string("name", r.name)
            w.string("indicator", r.indicator)
            w.int("numerator", r.numerator)
            w.int("denominator", r.denominator)
            w.value("value", r.value ?? "null")
            w.string("target", r.target?.text)
            w.string("status", r.status.rawValue)
            w.endObject()
            text += w.text + (i + 1 < table.rows.count ? ",\n" : "\n")
        }
        return text + "]\n"
    }

    public static func duplicatesCSV(period: String, _ d: CrossCountyDuplicates) -> String {
        var out = "period,student_key,counties\n"
        for entry in d.listed { out += CSVLine.make([period, entry.key, entry.counties.joined(separator: ";")]) }
        return out
    }
}
