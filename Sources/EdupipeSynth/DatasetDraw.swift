import EdupipeInput
import EdupipeStandard
import EdupipeOutput

/// Draws one dataset's records for a county (`CountyDraw`): the count from
/// the model, each field from the first of its generators whose condition
/// holds, every record checked by the plan's rules (drawn again when they
/// refuse it) and its key kept unique.
struct DatasetDraw {
    let county: CountyDraw
    let plan: DatasetPlan
    let model: SynthPlan.Model
    let schools: Int
    /// Datasets drawn before this one, by index.
    let others: [Int: Drawn]

    func records() -> Drawn {
        var (sends, rng) = CountyDraw.sends(model, dataset: plan.dataset.index, county: county.code, seed: county.seed, period: county.period)
        var count = 0
        if sends {
            switch model.count {
            case .schools: count = schools
            case .range(let r):
                // The county's size, the same every period: only the drift moves it.
                var size = SynthRandom(seed: county.seed ^ 0x512E ^ UInt64(plan.dataset.index + 1) &* 0x9E37_79B9, stream: UInt64(county.code) ?? 0)
                let n = size.int(r)
                count = model.scaled ? max(1, Int((Double(n) * county.scale).rounded())) : n
            }
        }
        var noisy = SynthRandom(seed: county.seed ^ 0x401_5E ^ UInt64(plan.dataset.index), stream: UInt64(county.code) ?? 0)
        let sums = agreements()
        var rules = RecordRules(plan: plan, checker: RecordChecker(log: IssueLog(listLimit: 1), fileCounty: county.code, plan: plan,
                                                                   messages: county.config.messages, language: county.config.language),
                                digest: false, checksKeys: false)
        var keys = Set<[String]>()
        var out = Drawn()
        var linkedIDs: [String] = []
        if plan.link != nil, let every = model.sharedEvery, count > 0 {
            linkedIDs.append(CountyDraw.sharedID(county: county.code, year: county.year))
            if let previous = county.previous, county.position % every == 1,
               CountyDraw.sends(model, dataset: plan.dataset.index, county: previous, seed: county.seed, period: county.period).0 {
                linkedIDs.append(CountyDraw.sharedID(county: previous, year: county.year))
                count += 1
            }
        }
        for n in 1..<(count + 1) {
            var record: ([String], [Int?])?
            for _ in 0..<20 {
                var (row, numbers) = draw(n: n, rng: &rng, noisy: &noisy, sums: sums)
                if let link = plan.link, n <= linkedIDs.count {
                    row[link] = linkedIDs[n - 1]
                    numbers[link] = nil
                }
                let key = plan.key.map { row[$0] }
                guard key.isEmpty || !keys.contains(key) else { continue }
                let valid = FieldValues.with(row) { values in
                    rules.check(values, line: n + 1)
                    return rules.checker.recordValid
                }
                if valid {
                    if !key.isEmpty { keys.insert(key) }
                    record = (row, numbers)
                    break
                }
            }
            guard let record else { continue }
            out.rows.append(record.0)
            out.numbers.append(record.1)
        }
        if count > 0 && out.rows.isEmpty {
            // The plan refused every draw: the guide's example, which it accepts.
            var example = Examples.record(plan, county: county.code)
            for (i, f) in plan.fields.enumerated() where f.kind == .schoolID { example[i] = county.code + zeroPadded(1, 4) }
            out.rows.append(example)
            out.numbers.append(example.enumerated().map { Condition.number($0.element, of: plan.fields[$0.offset]) })
        }
        return out
    }

    /// A measure of another dataset that this one's values agree with.
    private struct Agreement: Hashable {
        let dataset: Int
        let measure: Int
    }

    /// For each `agrees_with` of this model, the other dataset's measure
    /// summed per school.
    private func agreements() -> [Agreement: [String: Int]] {
        var sums: [Agreement: [String: Int]] = [:]
        for generators in model.values.values {
            for g in generators {
                guard case .agrees(let d, let k, _) = g.draw, let other = others[d] else { continue }
                let otherPlan = county.config.datasetPlans[d]
                let measure = otherPlan.measures[k]
                guard let sum = measure.sum, let school = otherPlan.fields.firstIndex(where: { $0.kind == .schoolID }) else { continue }
                var bySchool: [String: Int] = [:]
                for (row, numbers) in zip(other.rows, other.numbers) {
                    if let filter = measure.filter,
                       !filter.holds(numbers: numbers, given: row.map { !$0.isEmpty }, constants: otherPlan.constants) { continue }
                    bySchool[row[school], default: 0] += numbers[sum] ?? 0
                }
                sums[Agreement(dataset: d, measure: k)] = bySchool
            }
        }
        return sums
    }

    /// One record, field by field.
    private func draw(n: Int, rng: inout SynthRandom, noisy: inout SynthRandom, sums: [Agreement: [String: Int]]) -> ([String], [Int?]) {
        // The record so far: the fields still to draw are empty.
        var row = [String](repeating: "", count: plan.fields.count)
        var numbers = [Int?](repeating: nil, count: plan.fields.count)
        var given = [Bool](repeating: false, count: plan.fields.count)
        var templates: [(Int, SynthPlan.Draw)] = []
        for (f, spec) in plan.fields.enumerated() {
            let g = model.values[f]?.first { $0.when?.holds(numbers: numbers, given: given, constants: plan.constants) ?? true }
            var value = ""
            let chance = g?.given ?? (spec.required || spec.requiredWhen != nil ? 1 : 0.8)
            if chance >= 1 || rng.chance(chance) {
                if let g, case .template = g.draw {
                    // Filled in once the record is whole: a template names
                    // fields on either side of its own.
                    templates.append((f, g.draw))
                } else {
                    value = self.value(g?.draw ?? .typed, f, spec, n: n, row: row, known: numbers, knownGiven: given, rng: &rng,
                                       noisy: &noisy, sums: sums)
                }
            }
            row[f] = value
            numbers[f] = Condition.number(value, of: spec)
            given[f] = !value.isEmpty
        }
        for (f, draw) in templates {
            row[f] = value(draw, f, plan.fields[f], n: n, row: row, known: numbers, knownGiven: given, rng: &rng, noisy: &noisy, sums: sums)
        }
        return (row, numbers)
    }

    private func value(_ draw: SynthPlan.Draw, _ f: Int, _ spec: FieldSpec, n: Int, row: [String], known: [Int?], knownGiven: [Bool],
                       rng: inout SynthRandom, noisy: inout SynthRandom, sums: [Agreement: [String: Int]]) -> String {
        let bounds = spec.kind == .integer ? spec.range ?? 0...Int.max : 0...Int.max
        func clamp(_ v: Int) -> Int { min(bounds.upperBound, max(bounds.lowerBound, v)) }
        switch draw {
        case .literal(let s): return s
        case .chance(let p): return rng.chance(p) ? "1" : "0"
        case .weights(let weights):
            var pick = rng.int(1...weights.reduce(0) { $0 + $1.weight })
            for w in weights {
                pick -= w.weight
                if pick <= 0 { return w.word }
            }
            return weights[weights.count - 1].word
        case .uniform(let r): return String(clamp(rng.int(r)))
        case .around(let by, let means, let spread, let within):
            let mean = by.flatMap { known[$0] }.flatMap { means.indices.contains($0) ? means[$0] : nil } ?? means[0]
            return String(clamp(min(within.upperBound, max(within.lowerBound, rng.around(mean, spread: spread)))))
        case .share(let of, let percent):
            return String(clamp((known[of] ?? 0) * rng.int(percent) / 100))
        case .agrees(let d, let k, let percent):
            // The compiler made sure the dataset has a school field.
            let school = plan.fields.firstIndex { $0.kind == .schoolID }.map { row[$0] } ?? ""
            return String(clamp((sums[Agreement(dataset: d, measure: k)]?[school] ?? 0) * rng.int(percent) / 100))
        case .dates(let from, let to):
            let month = rng.int((from / 100)...(to / 100))
            let last = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            let low = month == from / 100 ? from % 100 : 1
            let high = month == to / 100 ? min(last, to % 100) : last
            return "\(county.year)-" + zeroPadded(month, 2) + "-" + zeroPadded(rng.int(min(low, high)...high), 2)
        case .ages(let ages): return residentID(age: rng.int(ages), rng: &rng)
        case .template(let text, let labels, let append, let every):
            var s = fill(text, labels: labels, n: n, row: row)
            if every > 0 && n % every == 0 { s += append }
            let limit = spec.range?.upperBound ?? 100
            let room = min(12, limit - s.count - 1)
            if noise(&noisy), room >= 4 { s += (s.unicodeScalars.allSatisfy(\.isASCII) ? "-" : " ") + suffix(room, &noisy) }
            return s
        case .randomSchool: return county.code + zeroPadded(rng.int(1...schools), 4)
        case .typed: return typed(f, spec, n: n, known: known, knownGiven: knownGiven, rng: &rng)
        }
    }

    /// What a field's type alone gives: its range, its words, a school of
    /// the county, a child of school age.
    private func typed(_ f: Int, _ spec: FieldSpec, n: Int, known: [Int?], knownGiven: [Bool], rng: inout SynthRandom) -> String {
        switch spec.kind {
        case .countyCode: return county.code
        case .schoolID:
            if case .schools = model.count { return county.code + zeroPadded(n, 4) }
            return county.code + zeroPadded(1 + (n - 1) % schools, 4)
        case .residentID: return residentID(age: rng.int(3...15), rng: &rng)
        case .integer:
            let conditional = spec.ranges.first { $0.when?.holds(numbers: known, given: knownGiven, constants: plan.constants) ?? true }
            return String(rng.int(conditional?.range ?? spec.range ?? 0...100))
        case .boolean: return rng.chance(0.9) ? "1" : "0"
        case .date: return "\(county.year)-" + zeroPadded(rng.int(9...12), 2) + "-" + zeroPadded(rng.int(1...28), 2)
        case .enumeration: return spec.words.isEmpty ? "" : spec.words[rng.int(0...(spec.words.count - 1))]
        case .text:
            let r = spec.range ?? 0...20
            let base = "S\(n)"
            return String(base.prefix(max(r.lowerBound, min(r.upperBound, base.count))))
        }
    }

    private func residentID(age: Int, rng: inout SynthRandom) -> String {
        let born = "\(county.year - age)" + zeroPadded(rng.int(1...12), 2) + zeroPadded(rng.int(1...28), 2)
        return ValueParsers.withCheckCharacter(county.code + born + zeroPadded(rng.int(0...998), 3))
    }

    private func fill(_ text: String, labels: [String: String], n: Int, row: [String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = rest[rest.index(after: open)..<close]
            switch name {
            case "n": out += String(n)
            case "round": out += String((n - 1) / schools + 1)
            case "county": out += county.code
            case "county_name": out += county.name
            default:
                if let i = plan.fields.firstIndex(where: { $0.name == name }), i < row.count { out += labels[row[i]] ?? row[i] }
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    private func noise(_ noisy: inout SynthRandom) -> Bool { county.noise > 0 && noisy.chance(county.noise) }

    private func suffix(_ n: Int, _ noisy: inout SynthRandom) -> String {
        let letters = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<n).map { _ in letters[noisy.int(0...(letters.count - 1))] })
    }
}

/// `n` in decimal, left-padded with zeros to `width` digits.
func zeroPadded(_ n: Int, _ width: Int) -> String {
    let digits = String(n)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
