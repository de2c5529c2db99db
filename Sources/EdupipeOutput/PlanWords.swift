import EdupipeStandard

/// The plan's declarations in words, for `plan show` and the format guide:
/// what each type accepts, whether a field is required, what a rule asks.
enum PlanWords {
    static func type(_ f: FieldSpec, _ fields: [FieldSpec], _ l: Language) -> String {
        let zh = l == .zh
        switch f.kind {
        case .countyCode: return zh ? "6 位县级代码，与文件名中的县相同" : "6-digit county code, the county of the file name"
        case .schoolID: return zh ? "10 位学校标识码" : "10-digit school identification code"
        case .residentID: return zh ? "18 位居民身份证号码（17 位数字加校验码 0-9 或 X）" : "18-character resident ID (17 digits and a check character 0-9 or X)"
        case .integer:
            var s = zh ? "整数" : "whole number"
            if let r = f.range { s += " \(r.lowerBound)..\(r.upperBound)" }
            if !f.ranges.isEmpty {
                let parts = f.ranges.map { r in (r.when.map { "\($0.text): " } ?? (zh ? "否则: " : "otherwise: ")) + "\(r.range.lowerBound)..\(r.range.upperBound)" }
                s += (zh ? "（" : " (") + parts.joined(separator: zh ? "；" : "; ") + (zh ? "）" : ")")
            }
            return s
        case .boolean: return zh ? "是/否：1 或 0、Y 或 N、true 或 false、是 或 否" : "yes/no: 1 or 0, Y or N, true or false, 是 or 否"
        case .date: return zh ? "日期：2023-03-01 或 2023/3/1" : "date: 2023-03-01 or 2023/3/1"
        case .enumeration: return (zh ? "取值之一：" : "one of: ") + f.words.map { "`\($0)`" }.joined(separator: zh ? "、" : ", ")
        case .text:
            let r = f.range ?? 0...100
            if r.lowerBound > 1 {
                return zh ? "文字，\(r.lowerBound) 至 \(r.upperBound) 个字" : "text, \(r.lowerBound) to \(r.upperBound) characters"
            }
            return zh ? "文字，最多 \(r.upperBound) 个字" : "text, at most \(r.upperBound) characters"
        }
    }

    static func required(_ f: FieldSpec, _ l: Language) -> String {
        if f.required { return l == .zh ? "是" : "yes" }
        if let w = f.requiredWhen { return (l == .zh ? "当 " : "when ") + "`\(w.text)`" }
        return l == .zh ? "否" : "no"
    }

    /// "when A: B" for a rule, with its code and column.
    static func rule(_ r: RuleSpec, _ d: DatasetPlan, _ l: Language) -> String {
        let when = r.when.map { (l == .zh ? "当 `\($0.text)` 时，" : "when `\($0.text)`, ") } ?? ""
        let must = l == .zh ? "须满足 `\(r.check.text)`" : "`\(r.check.text)` must hold"
        let code = l == .zh ? "（否则 \(r.code.rawValue)，报在 \(d.fields[r.column].name) 列）" : " (else \(r.code.rawValue) at \(d.fields[r.column].name))"
        return when + must + code
    }

    /// A target as the plan sets it, with its overrides.
    static func target(_ t: TargetRule) -> String {
        var parts: [String] = []
        parts.append(t.base?.text ?? "—")
        for level in ["national", "province", "prefecture", "county"] {
            if let o = t.levels[level] { parts.append("\(level) \(o?.text ?? "—")") }
        }
        for (p, o) in t.periods.sorted(by: { $0.key < $1.key }) { parts.append("\(p) \(o?.text ?? "—")") }
        for (p, o) in t.provinces.sorted(by: { $0.key < $1.key }) { parts.append("\(p) \(o?.text ?? "—")") }
        return parts.joined(separator: "; ")
    }

    static func indicatorDefinition(_ e: IndicatorSpec) -> String {
        e.definition.denominator.map { "\(e.definition.numerator) / \($0)" } ?? e.definition.numerator
    }
}

/// A text table for the terminal: columns aligned by display width (a
/// Chinese character takes two columns).
public struct TextTable {
    public let header: [String]
    public var rows: [[String]] = []
    /// Columns whose cells are aligned right (numbers).
    public var right: Set<Int> = []

    public init(_ header: [String], right: Set<Int> = []) {
        self.header = header
        self.right = right
    }

    public var text: String {
        var widths = header.map(displayWidth)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], displayWidth(c)) } }
        func line(_ cells: [String]) -> String {
            var s = ""
            for (i, c) in cells.enumerated() {
                let gap = String(repeating: " ", count: widths[i] - displayWidth(c))
                if right.contains(i) { s += gap + c } else { s += i == cells.count - 1 ? c : c + gap }
                if i < cells.count - 1 { s += "  " }
            }
            return s + "\n"
        }
        return line(header) + rows.map(line).joined()
    }
}
