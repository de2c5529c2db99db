import EdupipeInput
import EdupipeStandard
import EdupipeAggregate
import EdupipeOutput

/// The text an operator reads at the end of a run: files by status, the
/// counties that have not reported, and the indicators not met at national
/// and province level.
public enum RunSummary {
    /// `verbose` adds the counties that have not reported, province by
    /// province (else `edupipe status` and the report list them): the
    /// summary fits one screen.
    public static func text(_ result: NightlyRun.Result, registry: Registry, datasets: [Dataset], out: String, namesPerProvince: Int = 3,
                            language: Language = .en, verbose: Bool = false) -> String {
        let zh = language == .zh
        var s = ""
        // Counts and indices, not grouped copies: a national run has 8,562 records.
        let counts = SubmissionStatus.allCases.map { status in "\(result.submissions.count(of: status)) \(status.rawValue)" }
        s += zh ? "edupipe run：共 \(result.submissions.count) 个文件：\(counts.joined(separator: "，"))\n"
            : "edupipe run: \(result.submissions.count) files: \(counts.joined(separator: ", "))\n"
        if result.runID != nil {
            let changes = LedgerChange.Kind.allCases.map { kind in "\(result.changes.count { $0.kind == kind }) \(kind.rawValue)" }
            s += zh ? "与上次运行相比：\(changes.joined(separator: "，"))\n" : "changes since the last run: \(changes.joined(separator: ", "))\n"
        }
        let rejected = result.submissions.indices.filter { result.submissions[$0].status == .rejected }
        for i in rejected.prefix(10) {
            let r = result.submissions[i]
            s += "  \(zh ? "拒收" : "rejected") \(r.path): \(r.firstError?.rawValue ?? "")\(r.firstIssue.map { " " + $0.message } ?? "")\n"
        }
        if rejected.count > 10 {
            s += zh ? "  ……另有 \(rejected.count - 10) 个文件被拒收（见 \(out)/submissions.csv）\n"
                : "  ... and \(rejected.count - 10) more rejected files (see \(out)/submissions.csv)\n"
        }

        for table in result.tables {
            s += zh ? "\n学期 \(table.period)：\n" : "\nperiod \(table.period):\n"
            let counties = result.counties[table.period] ?? [:]
            for dataset in datasets {
                let missing = registry.counties.filter { counties[$0]?.has(dataset) != true }
                s += zh ? "  \(dataset.rawValue)：\(registry.counties.count) 个县中 \(registry.counties.count - missing.count) 个已报送，\(missing.count) 个未报送"
                    : "  \(dataset.rawValue): \(registry.counties.count - missing.count) of \(registry.counties.count) counties reported; \(missing.count) have not"
                if let reporting = result.reporting.first(where: { $0.period == table.period }), let deadline = reporting.deadline {
                    s += zh ? "，\(reporting.total(dataset).late) 个逾期（截止 \(deadline)）" : "; \(reporting.total(dataset).late) late (deadline \(deadline))"
                }
                s += "\n"
                guard verbose, !missing.isEmpty else { continue }
                let byProvince = Dictionary(grouping: missing) { registry.province(of: $0) ?? "" }
                var lines: [String] = []
                for province in byProvince.keys.sorted() {
                    let codes = byProvince[province]!
                    let names = codes.prefix(namesPerProvince).map { registry.units[$0]?.name ?? $0 }
                    let more = codes.count > namesPerProvince ? ", …" : ""
                    lines.append("\(registry.units[province]?.name ?? province) \(codes.count) (\(names.joined(separator: ", "))\(more))")
                }
                s += (zh ? "    未报送：" : "    not reported: ") + lines.joined(separator: zh ? "；" : "; ") + "\n"
            }
            // Quality flags (section 8): whom to call, by check.
            let flags = result.quality[table.period] ?? []
            let byCheck = QualityFlag.Check.allCases.map { check in (check, flags.count { $0.check == check }) }
            s += zh ? "  数据质量核查：\(byCheck.map { "\($0.0.rawValue) \($0.1)" }.joined(separator: "，"))"
                    + (flags.isEmpty ? "\n" : "（见 \(out)/\(table.period)/quality.csv）\n")
                : "  quality flags: \(byCheck.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", "))"
                    + (flags.isEmpty ? "\n" : " (see \(out)/\(table.period)/quality.csv)\n")
            let national = table.rows.filter { $0.status == .notMet && ($0.level == .national || $0.code == registry.scope) }
            let provincial = table.rows.filter { $0.status == .notMet && $0.level == .province }
            if national.isEmpty && provincial.isEmpty {
                s += zh ? "  全国和各省有数据的指标均已达标\n" : "  every indicator with data meets its target at national and province level\n"
            }
            for r in national {
                s += zh ? "  全国未达标：\(r.indicator) = \(r.value ?? "")（目标 \(r.target?.text ?? "")）\n"
                    : "  not met nationally: \(r.indicator) = \(r.value ?? "") (target \(r.target?.text ?? ""))\n"
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
                s += zh ? "  \(rows.count) 个省未达标：\(indicator)（目标 \(rows[0].target?.text ?? "")）：\(shown.joined(separator: "，"))\(more)\n"
                    : "  not met in \(rows.count) province\(rows.count == 1 ? "" : "s"): \(indicator) (target \(rows[0].target?.text ?? "")): \(shown.joined(separator: ", "))\(more)\n"
            }
            if let d = result.duplicates[table.period], d.national > 0 {
                s += zh ? "  被两个以上县列出的学生：\(d.national)（见 \(out)/\(table.period)/duplicates.csv）\n"
                    : "  children listed by two or more counties: \(d.national) (see \(out)/\(table.period)/duplicates.csv)\n"
            }
        }
        s += (zh ? "\n输出：" : "\noutputs: ") + "\(out)/submissions.csv, \(out)/errors.csv"
        for t in result.tables { s += ", \(out)/\(t.period)/indicators.csv, \(out)/\(t.period)/quality.csv" }
        s += (zh ? "\n报告与工作簿：" : "\nfor people: ") + result.tables.map {
            "\(out)/\($0.period)/\(PeopleFiles.reportName), \(out)/\($0.period)/\(PeopleFiles.workbookName)"
        }.joined(separator: ", ")
        s += "\n"
        return s
    }
}
