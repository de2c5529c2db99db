import EdupipeStandard

/// The county format guide, written from the plan: file names, encodings,
/// each dataset's fields with types and ranges, the rules in words, every
/// error code with how to fix it, a CSV and an XML example per dataset.
/// `edupipe plan doc` writes it as Markdown and as one HTML page, in
/// Chinese or English; `docs/format.zh.md` and `docs/format.en.md` are it.
public enum FormatGuide {
    public static func document(_ config: CompiledPlan, language l: Language) -> Document {
        let zh = l == .zh
        var d = Document(title: zh ? "县级数据报送格式说明（\(config.plan)）" : "County submission format guide (\(config.plan))",
                         language: l)
        d.add(.paragraph(zh
            ? "本说明由 `edupipe plan doc` 根据计划文件 `\(config.plan)` 生成：字段、规则与指标均以计划文件为准。文件上传前可用 `edupipe validate 文件名` 自查；空白模板用 `edupipe template 数据集` 生成。"
            : "Written by `edupipe plan doc` from the plan `\(config.plan)`: fields, rules and indicators are the plan's. Check a file before uploading it with `edupipe validate FILE`; `edupipe template DATASET` writes an empty file with the header."))

        d.add(.heading(2, zh ? "1 文件名" : "1 File names"))
        d.add(.paragraph(zh
            ? "`<县级代码>_<数据集>_<学期>[_r<修订号>].<扩展名>`，例如 `110101_\(config.datasets.first?.rawValue ?? "dataset")_2023-autumn_r2.csv.gz`。"
            : "`<county>_<dataset>_<period>[_r<revision>].<ext>`, for example `110101_\(config.datasets.first?.rawValue ?? "dataset")_2023-autumn_r2.csv.gz`."))
        d.add(.table(zh ? ["部分", "写法"] : ["part", "form"], [
            [zh ? "县级代码" : "county", zh ? "6 位县级行政区划代码（GB/T 2260），如 `110101`" : "6-digit county-level code (GB/T 2260), such as `110101`"],
            [zh ? "数据集" : "dataset", config.datasetPlans.map { "`\($0.dataset.rawValue)`（\($0.names.text(l))）" }.joined(separator: zh ? "、" : ", ")],
            [zh ? "学期" : "period", zh ? "`YYYY-spring`（春季学期）或 `YYYY-autumn`（秋季学期）" : "`YYYY-spring` or `YYYY-autumn`"],
            [zh ? "修订号" : "revision", zh ? "`_r2`、`_r3`……；不写即第 1 版。修改后重新上传请用新的修订号，已上传的文件不要覆盖" : "`_r2`, `_r3`, ...; none means 1. Upload a corrected file as a new revision; never overwrite one sent"],
            [zh ? "扩展名" : "ext", "`csv`, `csv.gz`, `xml`, `xml.gz`"],
        ]))
        d.add(.paragraph(zh
            ? "同一县、数据集、学期以通过校验的最高修订版为准；未通过校验的文件不会替换已生效的版本。"
            : "For each county, dataset and period the accepted file with the highest revision counts; a rejected file never replaces the one in force."))

        d.add(.heading(2, zh ? "2 编码与格式" : "2 Encodings and forms"))
        d.add(.list(zh ? [
            "CSV：UTF-8（可带 BOM）或 GB18030/GBK（Excel“CSV（逗号分隔）”在中文 Windows 上的保存格式）均可。第一行是列名，顺序不限；多余的列会被忽略并给出警告。",
            "行尾用 LF 或 CRLF。Excel 的“CSV（Macintosh）”只用 CR 作行尾，会被拒收（E_CSV_SYNTAX），请另存为“CSV UTF-8”或“CSV（逗号分隔）”。",
            "含逗号、引号或换行的值要用英文双引号括起来，值中的双引号写两遍（`\"\"`）；右引号后只能紧跟逗号或行尾，连空格也不行（E_CSV_SYNTAX）。",
            "值两端的空白（空格、制表符、全角空格 U+3000、不换行空格等）会被去掉；只有空白的行视为空行。",
            "XML：根元素 `<submission dataset=\"…\" county=\"…\" period=\"…\">`，与文件名一致；每个 `<record>` 一条记录，字段可写成子元素或属性。编码按 XML 声明（UTF-8、GB18030、GBK、GB2312）。不得含 DOCTYPE。",
            "可用 gzip 压缩（`.gz`），解压后每个文件不超过 \(config.maxDecompressedBytes) 字节。",
            "在 Excel/WPS 中编辑时，请先把身份证号、学校标识码、日期等列设为“文本”格式：否则身份证号会显示成 `1.10101E+17`，标识码变成 `1101010001.0`，日期变成 `44835` 之类的数字；全角数字（`４５`）请改为半角。",
        ] : [
            "CSV: UTF-8 (a BOM is fine) or GB18030/GBK (what Excel's \"CSV (Comma delimited)\" writes on a Chinese Windows). The first line names the columns, in any order; unknown columns are ignored with a warning.",
            "Lines end with LF or CRLF. Excel's \"CSV (Macintosh)\" ends lines with CR only and is rejected (E_CSV_SYNTAX): save as \"CSV UTF-8\" or \"CSV (Comma delimited)\".",
            "Quote values that hold a comma, a quote or a line break with double quotes; a quote inside is written twice (`\"\"`). Only a comma or the end of the line may follow a closing quote, not even a space (E_CSV_SYNTAX).",
            "White space around a value (spaces, tabs, the ideographic space U+3000, no-break spaces...) is dropped; a line of only white space is a blank line.",
            "XML: root `<submission dataset=\"...\" county=\"...\" period=\"...\">` matching the file name; one `<record>` per record, each field a child element or an attribute. The encoding is the XML declaration's (UTF-8, GB18030, GBK, GB2312). No DOCTYPE.",
            "Files may be gzipped (`.gz`); each is at most \(config.maxDecompressedBytes) bytes once decompressed.",
            "In Excel or WPS, format ID, school-code and date columns as Text before pasting: otherwise an ID shows as `1.10101E+17`, a school code as `1101010001.0`, a date as a number such as `44835`; full-width digits (`４５`) must be half-width.",
        ]))

        d.add(.heading(2, zh ? "3 数据集" : "3 Datasets"))
        for (n, p) in config.datasetPlans.enumerated() {
            d.add(.heading(3, "3.\(n + 1) `\(p.dataset.rawValue)` \(p.names.text(l))"))
            var facts: [String] = []
            facts.append(zh ? "每条记录是一个\(p.record.zh)。" : "One record per \(p.record.en).")
            if !p.key.isEmpty {
                let key = p.key.map { "`\(p.fields[$0].name)`" }.joined(separator: zh ? " + " : " and ")
                facts.append(zh ? "\(key) 在文件内不得重复（E_DUPLICATE_KEY）。" : "\(key) unique within a file (E_DUPLICATE_KEY).")
            }
            facts.append(p.mayBeEmpty
                ? (zh ? "有列名、没有记录的文件是有效的（表示“零”）。" : "A file with a header and no records is valid (it says \"none\").")
                : (zh ? "有列名、没有记录的文件会被拒收（E_EMPTY）。" : "A file with a header and no records is rejected (E_EMPTY)."))
            if let link = p.link {
                facts.append(zh ? "`\(p.fields[link].name)` 以加密散列跨县比对，只显示掩码。" : "`\(p.fields[link].name)` is matched across counties by keyed hash and only ever shown masked.")
            }
            d.add(.paragraph(facts.joined(separator: " ")))
            d.add(.table(zh ? ["列名", "类型与取值", "必填", "说明"] : ["column", "type and values", "required", "meaning"],
                         p.fields.map { [ "`\($0.name)`", PlanWords.type($0, p.fields, l), PlanWords.required($0, l), $0.note?.text(l) ?? "" ] }))
            if !p.rules.isEmpty {
                d.add(.paragraph(zh ? "规则（字段本身有效时才检查）：" : "Rules (checked when the fields they compare are valid):"))
                d.add(.list(p.rules.map { PlanWords.rule($0, p, l) + (zh ? "：" : ": ") + $0.message.source.text(l) }))
            }
            let example = Examples.record(p)
            d.add(.paragraph(zh ? "CSV 示例：" : "CSV example:"))
            d.add(.code("csv", Examples.csv(p, rows: [example])))
            d.add(.paragraph(zh ? "XML 示例：" : "XML example:"))
            d.add(.code("xml", Examples.xml(p, county: "110101", period: "2023-autumn", rows: [example])))
        }

        d.add(.heading(2, zh ? "4 指标" : "4 Indicators"))
        d.add(.table(zh ? ["指标", "名称", "分子 / 分母", "目标"] : ["indicator", "name", "numerator / denominator", "target"],
                     config.catalog.displayOrder.map { i in
                         let e = config.catalog.entries[i]
                         return ["`\(e.name)`", e.names.text(l), PlanWords.indicatorDefinition(e), PlanWords.target(e.target)]
                     }))

        quality(config, l, &d)

        d.add(.heading(2, zh ? "6 错误代码" : "6 Error codes"))
        d.add(.paragraph(zh
            ? "任何错误都会使整个文件被拒收；请改正后以新的修订号重新上传。警告（W_ 开头）不影响接收。每个错误都指明行号与列名。"
            : "Any error rejects the whole file: fix it and upload a new revision. Warnings (W_...) never reject. Every error names its line and column."))
        d.add(.table(zh ? ["代码", "含义", "如何改正"] : ["code", "meaning", "how to fix"],
                     IssueCode.allCases.map { [ "`\($0.rawValue)`", $0.help(l).meaning, $0.help(l).fix ] }))
        return d
    }

    /// What the office follows up after a file is accepted (section 8):
    /// never a rejection, but a call if the figures cannot be right.
    static func quality(_ config: CompiledPlan, _ l: Language, _ d: inout Document) {
        let zh = l == .zh
        let q = config.quality
        d.add(.heading(2, zh ? "5 数据质量核查（不影响接收）" : "5 Quality checks (a file is still accepted)"))
        d.add(.paragraph(zh
            ? "文件通过校验后，数据管理部门还会把数据与上一学期、与本省其他县、与本县的其他报送相比较。被标记的县不会被拒收，指标也不变，但会被电话核实：请报送前自查。"
            : "Once a file is accepted, the office holds it against the previous period, the other counties of the province and the county's other collections. A flag never rejects a file or changes an indicator, but the office will call: check before you send."))
        var items: [String] = []
        if let o = q.overTime {
            let percent = Target.decimal(o.change.numerator * 100, o.change.scale)
            items.append(zh
                ? "与上一学期相比变化超过 \(percent)%：" + o.measures.map { "\($0.names.zh)（`\($0.subject)`）" }.joined(separator: "、") + "。"
                : "A change of more than \(percent)% since the previous period in: " + o.measures.map { "\($0.names.en) (`\($0.subject)`)" }.joined(separator: ", ") + ".")
        }
        if let o = q.outlier {
            let names = o.indicators.map { n in "\(config.name(of: n).text(l))（`\(n)`）" }
            items.append(zh
                ? "与本省各县（至少 \(o.minPeers) 个县有数据时）相差过大（修正 z 分数超过 \(o.modifiedZ.text)）：" + names.joined(separator: "、") + "。"
                : "Far from the other counties of the province (with at least \(o.minPeers) of them; a modified z-score beyond \(o.modifiedZ.text)): " + names.joined(separator: ", ") + ".")
        }
        for r in q.related {
            items.append(zh
                ? "\(r.names.zh)：`\(r.numerator.subject)` / `\(r.denominator.subject)` 应在 \(r.low.text) 至 \(r.high.text) 之间。"
                : "\(r.names.en): `\(r.numerator.subject)` / `\(r.denominator.subject)` between \(r.low.text) and \(r.high.text).")
        }
        d.add(.list(items))
    }
}
