import EdupipeStandard
import EdupipeAggregate

/// The report's "数据质量核查" section: the period's quality flags
/// (section 8) by province, then every flag with its county, so an office
/// knows whom to call. Flags never change an indicator: they are listed,
/// not counted into any figure.
enum ReportQuality {
    static func checkName(_ check: QualityFlag.Check) -> String {
        switch check {
        case .overTime: "与上期相比 over time"
        case .outlier: "与本省各县相比 outlier"
        case .related: "与相关报送相比 related"
        }
    }

    static func section(_ flags: [QualityFlag], registry: Registry, config: CompiledPlan,
                        _ b: inout TextBuffer, _ flush: ContractFiles.Flush) throws {
        b.append("<section id=\"quality\">\n<h2>数据质量核查 <span class=\"en\">Quality checks</span> <span class=\"count\">\(flags.count)</span></h2>\n")
        guard !flags.isEmpty else {
            b.append("<p class=\"none\">本期没有需要核实的数据 Nothing flagged this period.</p>\n</section>\n" as StaticString)
            return
        }
        b.append("<p class=\"note\">被标记的数据不影响接收和指标，请与相关县核实。<span class=\"en\">A flag never rejects a file or changes an indicator: call the county.</span></p>\n" as StaticString)
        // Counts by province and check.
        var byProvince: [String: [QualityFlag]] = [:]
        for f in flags { byProvince[registry.province(of: f.code) ?? "", default: []].append(f) }
        let provinces = byProvince.keys.sorted()
        b.append("<table class=\"quality-summary\">\n<thead><tr><th>省份 Province</th>" as StaticString)
        for check in QualityFlag.Check.allCases { b.append("<th class=\"num\">" as StaticString); b.markup(checkName(check)); b.append("</th>" as StaticString) }
        b.append("</tr></thead>\n<tbody>\n" as StaticString)
        for p in provinces {
            b.append("<tr data-code=\"" as StaticString); b.markup(p); b.append("\"><th>" as StaticString)
            b.markup(registry.units[p]?.name ?? p); b.append("</th>" as StaticString)
            for check in QualityFlag.Check.allCases {
                b.append("<td class=\"num\">\(byProvince[p]?.count { $0.check == check } ?? 0)</td>")
            }
            b.append("</tr>\n" as StaticString)
        }
        b.append("</tbody>\n</table>\n" as StaticString)
        b.append("<table class=\"files quality\">\n<thead><tr><th>省份 Province</th><th>县 County</th><th>核查 Check</th><th>对象 Subject</th><th class=\"num\">数值 Value</th><th class=\"num\">参照 Reference</th><th>方向 Flag</th></tr></thead>\n<tbody>\n" as StaticString)
        for p in provinces {
            for f in byProvince[p] ?? [] {
                b.append("<tr><td>" as StaticString); b.markup(registry.units[p]?.name ?? p)
                b.append("</td><td>" as StaticString); b.markup(f.name + " " + f.code)
                b.append("</td><td>" as StaticString); b.markup(checkName(f.check))
                b.append("</td><td class=\"code\">" as StaticString); b.markup(f.subject)
                b.append("</td><td class=\"num\">" as StaticString); b.markup(f.value)
                b.append("</td><td class=\"num\">" as StaticString); b.markup(f.reference)
                b.append("</td><td>" as StaticString); b.markup(f.high ? "偏高 high ↑" : "偏低 low ↓")
                b.append("</td></tr>\n" as StaticString)
                try ContractFiles.rowDone(&b, flush)
            }
        }
        b.append("</tbody>\n</table>\n</section>\n" as StaticString)
    }
}
