/// The text an operator reads at the end of a run: files by status, the
/// counties that have not reported, and the indicators not met at national
/// and province level.
public enum RunSummary {
    public static func text(_ result: NightlyRun.Result, registry: Registry, datasets: [Dataset], out: String, namesPerProvince: Int = 3) -> String {
        var s = ""
        // Counts and indices, not grouped copies: a national run has 8,562 records.
        let counts = SubmissionStatus.allCases.map { status in "\(result.submissions.count(of: status)) \(status.rawValue)" }
        s += "edupipe run: \(result.submissions.count) files: \(counts.joined(separator: ", "))\n"
        if result.runID != nil {
            let changes = LedgerChange.Kind.allCases.map { kind in "\(result.changes.count { $0.kind == kind }) \(kind.rawValue)" }
            s += "changes since the last run: \(changes.joined(separator: ", "))\n"
        }
        let rejected = result.submissions.indices.filter { result.submissions[$0].status == .rejected }
        for i in rejected.prefix(10) {
            let r = result.submissions[i]
            s += "  rejected \(r.path): \(r.firstError?.rawValue ?? "")\(r.firstIssue.map { " " + $0.message } ?? "")\n"
        }
        if rejected.count > 10 {
            s += "  ... and \(rejected.count - 10) more rejected files (see \(out)/submissions.csv)\n"
        }

        for table in result.tables {
            s += "\nperiod \(table.period):\n"
            let counties = result.counties[table.period] ?? [:]
            for dataset in datasets {
                let missing = registry.counties.filter { counties[$0]?.has(dataset) != true }
                s += "  \(dataset.rawValue): \(registry.counties.count - missing.count) of \(registry.counties.count) counties reported; \(missing.count) have not"
                if let reporting = result.reporting.first(where: { $0.period == table.period }), let deadline = reporting.deadline {
                    s += "; \(reporting.total(dataset).late) late (deadline \(deadline))"
                }
                s += "\n"
                guard !missing.isEmpty else { continue }
                let byProvince = Dictionary(grouping: missing) { registry.province(of: $0) ?? "" }
                var lines: [String] = []
                for province in byProvince.keys.sorted() {
                    let codes = byProvince[province]!
                    let names = codes.prefix(namesPerProvince).map { registry.units[$0]?.name ?? $0 }
                    let more = codes.count > namesPerProvince ? ", …" : ""
                    lines.append("\(registry.units[province]?.name ?? province) \(codes.count) (\(names.joined(separator: ", "))\(more))")
                }
                s += "    not reported: " + lines.joined(separator: "; ") + "\n"
            }
            let national = table.rows.filter { $0.status == .notMet && $0.level == .national }
            let provincial = table.rows.filter { $0.status == .notMet && $0.level == .province }
            if national.isEmpty && provincial.isEmpty {
                s += "  every indicator with data meets its target at national and province level\n"
            }
            for r in national {
                s += "  not met nationally: \(r.indicator) = \(r.value ?? "") (target \(r.target?.text ?? ""))\n"
            }
            // One line per indicator, provinces furthest from the target first.
            let byIndicator = Dictionary(grouping: provincial, by: \.indicator)
            for indicator in byIndicator.keys.sorted() {
                let rows = byIndicator[indicator]!.sorted { a, b in
                    let (x, y) = (Double(a.value ?? "0") ?? 0, Double(b.value ?? "0") ?? 0)
                    let atLeast = a.target?.comparison == .atLeast
                    return x != y ? (atLeast ? x < y : x > y) : a.code < b.code
                }
                let shown = rows.prefix(namesPerProvince * 2).map { "\($0.name) \($0.value ?? "")" }
                let more = rows.count > shown.count ? ", …" : ""
                s += "  not met in \(rows.count) province\(rows.count == 1 ? "" : "s"): \(indicator) (target \(rows[0].target?.text ?? "")): \(shown.joined(separator: ", "))\(more)\n"
            }
            if let d = result.duplicates[table.period], d.national > 0 {
                s += "  children listed by two or more counties: \(d.national) (see \(out)/\(table.period)/duplicates.csv)\n"
            }
        }
        s += "\noutputs: \(out)/submissions.csv, \(out)/errors.csv"
        for t in result.tables { s += ", \(out)/\(t.period)/indicators.csv" }
        s += "\nfor people: " + result.tables.map {
            "\(out)/\($0.period)/\(PeopleFiles.reportName), \(out)/\($0.period)/\(PeopleFiles.workbookName)"
        }.joined(separator: ", ")
        s += "\n"
        return s
    }
}
