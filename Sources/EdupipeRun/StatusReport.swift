import EdupipeStandard
import EdupipeAggregate
import EdupipeOutput

/// `edupipe status` as text or JSON: per province and dataset, counties
/// reporting out of expected, late and missing; per county (text: with
/// `--province`) the file in force, when it arrived, its records.
public enum StatusReport {
    /// `quality`: the last run's quality flags by period (section 8),
    /// counted per county.
    public static func text(_ statuses: [ReportingStatus], run: LedgerRun?, registry: Registry, countyDetail: Bool,
                            language: Language = .en, quality: [String: [QualityFlag]] = [:], province: String? = nil) -> String {
        let zh = language == .zh
        var s = ""
        if let run {
            s += zh ? "edupipe status：截至第 \(run.id) 次运行（\(run.outcome)），开始于 \(LedgerTime.text(run.startedAt))（收件夹 \(run.inbox)）\n"
                : "edupipe status: as of run \(run.id), \(run.outcome), started \(LedgerTime.text(run.startedAt)) (inbox \(run.inbox))\n"
        }
        for status in statuses {
            if zh {
                s += "\n学期 \(status.period)："
                s += status.deadline.map { "截止日期 \($0)（此后首次收到的文件为逾期，北京时间）\n" } ?? "计划中没有截止日期\n"
            } else {
                s += "\nperiod \(status.period): "
                s += status.deadline.map { "deadline \($0) (files first seen after that day, UTC+8, are late)\n" } ?? "no deadline in the plan\n"
            }
            // Columns as wide as their widest cell, counted in display
            // columns: 内蒙古自治区 and longer names stay aligned.
            var table = TextTable(zh ? ["省份", "数据集", "已报送", "报送率", "逾期", "按时率", "未报送"]
                                     : ["province", "dataset", "reporting", "rate", "late", "on time", "missing"], right: [2, 3, 4, 5])
            for p in status.provinces {
                let onTime = p.reporting - p.late.count
                table.rows.append(["\(p.province) \(registry.units[p.province]?.name ?? "")", p.dataset.rawValue,
                                   "\(p.reporting)/\(p.expected)", percent(p.reporting, p.expected), "\(p.late.count)",
                                   percent(onTime, p.expected), names(p.missing, registry: registry, zh: zh)])
            }
            s += table.text
            for dataset in status.datasets {
                let t = status.total(dataset)
                s += zh ? "合计 \(dataset.rawValue)：已报送 \(t.reporting)/\(t.expected)（\(percent(t.reporting, t.expected))），逾期 \(t.late)，按时率 \(percent(t.reporting - t.late, t.expected))\n"
                    : "total \(dataset.rawValue): \(t.reporting)/\(t.expected) reporting (\(percent(t.reporting, t.expected))), \(t.late) late, on time \(percent(t.reporting - t.late, t.expected))\n"
            }
            let flags = (quality[status.period] ?? []).filter { f in
                registry.isCounty(f.code) && (province.map { registry.province(of: f.code) == $0 } ?? true)
            }
            if !flags.isEmpty {
                let byCounty = Dictionary(grouping: flags, by: \.code)
                let counts = byCounty.keys.sorted().map { "\(registry.units[$0]?.name ?? $0) \($0) \(byCounty[$0]?.count ?? 0)" }
                s += zh ? "数据质量核查（上次运行）：\(byCounty.count) 个县被标记：\(counts.joined(separator: "，"))\n"
                    : "quality flags (last run): \(byCounty.count) counties: \(counts.joined(separator: ", "))\n"
            }
            if countyDetail {
                var counties = TextTable(zh ? ["县", "数据集", "修订版", "收到时间", "记录数", "文件"]
                                            : ["county", "dataset", "revision", "arrived", "records", "file"], right: [4])
                for c in status.counties {
                    counties.rows.append(["\(c.county) \(registry.units[c.county]?.name ?? "")", c.dataset.rawValue, "r\(c.revision)",
                                          LedgerTime.text(c.arrivedAt) + (c.late ? (zh ? " 逾期" : " late") : ""), "\(c.records)", c.path])
                }
                s += "\n" + counties.text
            }
        }
        return s
    }

    public static func json(_ statuses: [ReportingStatus], run: LedgerRun?, registry: Registry) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.value("run", run.map { String($0.id) } ?? "null")
        json.string("run_started_at", run.map { LedgerTime.iso($0.startedAt) })
        json.beginArray(key: "periods")
        for status in statuses {
            json.beginObject()
            json.string("period", status.period)
            json.string("deadline", status.deadline)
            json.beginArray(key: "provinces")
            for p in status.provinces {
                json.beginObject()
                json.string("province", p.province)
                json.string("name", registry.units[p.province]?.name)
                json.string("dataset", p.dataset.rawValue)
                json.int("expected", p.expected)
                json.int("reporting", p.reporting)
                json.int("on_time", p.reporting - p.late.count)
                codes(&json, "late", p.late)
                codes(&json, "missing", p.missing)
                json.endObject()
            }
            json.endArray()
            json.beginArray(key: "counties")
            for c in status.counties {
                json.beginObject()
                json.string("county", c.county)
                json.string("name", registry.units[c.county]?.name)
                json.string("dataset", c.dataset.rawValue)
                json.int("revision", c.revision)
                json.string("arrived_at", LedgerTime.iso(c.arrivedAt))
                json.bool("late", c.late)
                json.int("records", c.records)
                json.string("path", c.path)
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.text + "\n"
    }

    private static func codes(_ json: inout JSONWriter, _ key: String, _ codes: [String]) {
        json.beginArray(key: key)
        for c in codes { json.string(nil, c) }
        json.endArray()
    }

    static func percent(_ n: Int, _ d: Int) -> String {
        d > 0 ? IndicatorFormat.percent(n, d) : "-"
    }

    /// Up to five names, then how many more.
    private static func names(_ codes: [String], registry: Registry, zh: Bool = false) -> String {
        guard !codes.isEmpty else { return "-" }
        let shown = codes.prefix(5).map { registry.units[$0]?.name ?? $0 }.joined(separator: zh ? "、" : ", ")
        guard codes.count > 5 else { return shown }
        return zh ? shown + " 等 \(codes.count) 个" : shown + " and \(codes.count - 5) more"
    }
}

