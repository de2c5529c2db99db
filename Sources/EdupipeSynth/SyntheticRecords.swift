import EdupipeInput
import EdupipeStandard
import EdupipeOutput

/// Records for a dataset the synthetic generator has no hand-written model
/// of (any collection a plan adds): values drawn from each field's type,
/// range and words, and kept only when the plan's own checks accept them,
/// so a new collection gets a realistic inbox with no code.
struct SyntheticRecords {
    let plan: DatasetPlan
    let config: CompiledPlan

    /// About `count` records of county `code`; every one valid.
    func draw(county code: String, count: Int, year: Int, rng: inout SynthRandom) -> [[String]] {
        var rows: [[String]] = []
        for n in 1...max(1, count) {
            var row: [String]?
            // Most draws pass; a rule may reject some (a public kindergarten
            // drawn as not inclusive): draw again, then fall back to the
            // guide's example with this record's key.
            for _ in 0..<20 {
                let candidate = plan.fields.map { value($0, county: code, n: n, year: year, rng: &rng) }
                if isValid(candidate, county: code) { row = candidate; break }
            }
            var fallback = Examples.record(plan, county: code)
            for (i, f) in plan.fields.enumerated() where f.kind == .schoolID { fallback[i] = code + zeroPadded(n, 4) }
            rows.append(row ?? fallback)
        }
        return rows
    }

    private func value(_ f: FieldSpec, county: String, n: Int, year: Int, rng: inout SynthRandom) -> String {
        if !f.required && f.requiredWhen == nil && rng.chance(0.2) { return "" }
        switch f.kind {
        case .countyCode: return county
        case .schoolID: return county + zeroPadded(n, 4)
        case .residentID:
            let born = "\(year - rng.int(3...15))" + zeroPadded(rng.int(1...12), 2) + zeroPadded(rng.int(1...28), 2)
            return ValueParsers.withCheckCharacter(county + born + zeroPadded(rng.int(0...998), 3))
        case .integer:
            let r = f.range ?? f.ranges.first { $0.when == nil }?.range ?? f.ranges.first?.range ?? 0...100
            return String(rng.int(r))
        case .boolean: return rng.chance(0.9) ? "1" : "0"
        case .date: return "\(year)-" + zeroPadded(rng.int(9...12), 2) + "-" + zeroPadded(rng.int(1...28), 2)
        case .enumeration: return f.words[rng.int(0...(f.words.count - 1))]
        case .text:
            let r = f.range ?? 0...20
            let base = "S\(n)"
            return String(base.prefix(max(r.lowerBound, min(r.upperBound, base.count))))
        }
    }

    /// Whether the plan's checks accept one record.
    private func isValid(_ row: [String], county: String) -> Bool {
        var rules = RecordRules(plan: plan, checker: RecordChecker(log: IssueLog(listLimit: 1), fileCounty: county, plan: plan, config: config),
                                digest: false)
        return FieldValues.with(row) { values in
            rules.check(values, line: 2)
            return rules.checker.recordValid
        }
    }
}
