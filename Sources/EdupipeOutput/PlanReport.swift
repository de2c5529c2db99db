import EdupipeStandard

/// `edupipe plan show`: what a plan declares, as terminal tables (columns
/// aligned by display width).
public enum PlanReport {
    public static func text(_ config: CompiledPlan, language l: Language) -> String {
        let zh = l == .zh
        var s = (zh ? "计划 " : "plan ") + "\(config.plan) (\(config.source))\n\n"
        var datasets = TextTable(zh ? ["数据集", "名称", "每条记录", "空文件", "键"] : ["dataset", "name", "one record per", "empty file", "key"])
        for p in config.datasetPlans {
            datasets.rows.append([p.dataset.rawValue, p.names.text(l), p.record.text(l),
                                  p.mayBeEmpty ? (zh ? "有效" : "valid") : (zh ? "拒收" : "rejected"),
                                  p.key.map { p.fields[$0].name }.joined(separator: " + ")])
        }
        s += datasets.text
        for p in config.datasetPlans {
            s += "\n\(p.dataset.rawValue) " + (zh ? "字段" : "fields") + "\n"
            var fields = TextTable(zh ? ["列名", "必填", "类型与取值"] : ["column", "required", "type and values"])
            for f in p.fields { fields.rows.append([f.name, PlanWords.required(f, l).replacing("`", with: ""), PlanWords.type(f, p.fields, l).replacing("`", with: "")]) }
            s += fields.text
            if !p.rules.isEmpty {
                s += "\n\(p.dataset.rawValue) " + (zh ? "规则" : "rules") + "\n"
                var rules = TextTable(zh ? ["条件", "须满足", "代码", "列"] : ["when", "check", "code", "column"])
                for r in p.rules { rules.rows.append([r.when?.text ?? "-", r.check.text, r.code.rawValue, p.fields[r.column].name]) }
                s += rules.text
            }
            if !p.measures.isEmpty {
                s += "\n\(p.dataset.rawValue) " + (zh ? "度量" : "measures") + "\n"
                var measures = TextTable(zh ? ["名称", "计数/求和", "条件", "分组"] : ["name", "count/sum", "where", "by"])
                for m in p.measures {
                    measures.rows.append([m.name, m.sum.map { "sum " + p.fields[$0].name } ?? "count", m.filter?.text ?? "all",
                                          m.by.map { p.fields[$0].name } ?? "-"])
                }
                s += measures.text
            }
        }
        s += "\n" + (zh ? "指标" : "indicators") + "\n"
        var indicators = TextTable(zh ? ["指标", "名称", "分子 / 分母", "目标"] : ["indicator", "name", "numerator / denominator", "target"])
        for i in config.catalog.displayOrder {
            let e = config.catalog.entries[i]
            indicators.rows.append([e.name, e.names.text(l), PlanWords.indicatorDefinition(e), PlanWords.target(e.target)])
        }
        s += indicators.text
        if !config.deadlines.isEmpty {
            s += "\n" + (zh ? "报送截止日期" : "deadlines") + "\n"
            var periods = TextTable(zh ? ["学期", "截止"] : ["period", "deadline"])
            for (p, d) in config.deadlines.sorted(by: { $0.key < $1.key }) { periods.rows.append([p, d]) }
            s += periods.text
        }
        return s
    }
}
