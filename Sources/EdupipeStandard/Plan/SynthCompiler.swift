import Yams

/// Compiles the plans' `synth:` sections over the compiled datasets: every
/// dataset, field, word, measure and condition named must exist and fit
/// the field it draws, each mistake said with its file, line and column. A
/// plan that extends another replaces the models it declares again and
/// keeps the rest.
struct SynthCompiler {
    let datasets: [DatasetPlan]

    func apply(_ node: Node, r: YAMLWalker, to plan: inout SynthPlan) throws(PlanError) {
        let m = try r.mapping(node, "synth")
        try r.onlyKeys(m, ["schools", "drift", "faults", "datasets"], in: "synth")
        if let n = m["schools"] {
            let range = try r.range(n, "synth.schools")
            guard range.lowerBound >= 1, range.upperBound <= 100_000 else { throw r.error(n, "synth.schools", "between 1 and 100000 schools a county") }
            plan.schools = range
        }
        if let n = m["drift"] { plan.drift = try percent(n, "synth.drift", r: r, atMost: 50) }
        if let n = m["faults"] {
            plan.faults = []
            for item in try r.list(n, "synth.faults") { plan.faults.append(try fault(item, r: r)) }
        }
        if let n = m["datasets"] {
            for (k, v) in try r.mapping(n, "synth.datasets") {
                let name = try r.string(k, "synth.datasets")
                guard let d = datasets.first(where: { $0.dataset.rawValue == name }) else {
                    throw r.error(k, "synth.datasets", "the plan has no dataset \(name); its datasets are \(datasets.map(\.dataset.rawValue).joined(separator: ", "))")
                }
                plan.models[d.dataset.index] = try model(v, d, r: r)
            }
        }
        // Datasets a model follows are drawn first: a loop has no order.
        var state = [Int: Bool]()
        var order: [Int] = []
        func visit(_ i: Int) throws(PlanError) {
            if state[i] == true { return }
            guard state[i] == nil else {
                throw r.error(node, "synth.datasets", "the values of \(datasets[i].dataset.rawValue) agree with a dataset that agrees with them: no order draws both")
            }
            state[i] = false
            for f in plan.models[i]?.follows ?? [] { try visit(f) }
            state[i] = true
            order.append(i)
        }
        for i in datasets.indices { try visit(i) }
        plan.order = order
    }

    private func fault(_ node: Node, r: YAMLWalker) throws(PlanError) -> SynthPlan.Fault {
        let m = try r.mapping(node, "synth.faults")
        let name = try r.string(try r.required(m, "name", node, "synth.faults"), "synth.faults.name")
        let at = "synth.faults.\(name)"
        try r.onlyKeys(m, ["name", "scale", "field", "times"], in: at)
        switch (m["scale"], m["field"]) {
        case (let s?, nil):
            return .init(name: name, scale: try share(s, "\(at).scale", r: r), field: nil, times: 1)
        case (nil, let f?):
            let (d, i) = try fieldRef(f, "\(at).field", r: r)
            guard datasets[d].fields[i].kind == .integer else { throw r.error(f, "\(at).field", "a fault multiplies an integer field") }
            let times = try r.positiveInt(try r.required(m, "times", node, at), "\(at).times", atMost: 1000)
            return .init(name: name, scale: nil, field: (d, i), times: times)
        default:
            throw r.error(node, at, "a fault has either scale: <share of the schools sent> or field: <dataset.field> with times: <n>")
        }
    }

    private func model(_ node: Node, _ d: DatasetPlan, r: YAMLWalker) throws(PlanError) -> SynthPlan.Model {
        let at = "synth.datasets.\(d.dataset.rawValue)"
        let m = try r.mapping(node, at)
        try r.onlyKeys(m, ["records", "scaled", "none", "shared_every", "values"], in: at)
        var model = SynthPlan.Model()
        if let n = m["records"] {
            model.count = try r.string(n, "\(at).records") == "schools" ? .schools : .range(try r.range(n, "\(at).records"))
        }
        if let n = m["scaled"] { model.scaled = try r.bool(n, "\(at).scaled") }
        if let n = m["none"] { model.none = try share(n, "\(at).none", r: r) }
        if let n = m["shared_every"] {
            guard d.link != nil else { throw r.error(n, "\(at).shared_every", "\(d.dataset.rawValue) has no link: field, so no record is shared between counties") }
            model.sharedEvery = try r.positiveInt(n, "\(at).shared_every", atMost: 100_000)
        }
        let r = YAMLWalker(source: r.source, constants: d.constants)
        if let n = m["values"] {
            for (k, v) in try r.mapping(n, "\(at).values") {
                let name = try r.string(k, "\(at).values")
                guard let f = d.fields.firstIndex(where: { $0.name == name }) else {
                    throw r.error(k, "\(at).values", "\(d.dataset.rawValue) has no field \(name)")
                }
                var alternatives: [SynthPlan.Generator] = []
                let items: [Node]
                if case .sequence(let s) = v { items = Array(s) } else { items = [v] }
                for item in items {
                    let g = try generator(item, field: f, d, at: "\(at).values.\(name)", r: r)
                    if case .agrees(let other, _, _) = g.draw, !model.follows.contains(other) { model.follows.append(other) }
                    alternatives.append(g)
                }
                model.values[f] = alternatives
            }
        }
        return model
    }

    private func generator(_ node: Node, field f: Int, _ d: DatasetPlan, at: String, r: YAMLWalker) throws(PlanError) -> SynthPlan.Generator {
        let m = try r.mapping(node, at)
        let spec = d.fields[f]
        try r.onlyKeys(m, ["when", "given", "value", "chance", "weights", "range", "mean", "by", "spread", "within", "share_of",
                           "agrees_with", "dates", "ages", "template", "labels", "append", "every", "school"], in: at)
        let when = try m["when"].map { n throws(PlanError) in try r.condition(n, fields: d.fields, visible: f) }
        let given = try m["given"].map { n throws(PlanError) in try share(n, "\(at).given", r: r) }
        func need(_ kinds: [FieldSpec.Kind], _ key: String, _ n: Node) throws(PlanError) {
            guard kinds.contains(spec.kind) else {
                throw r.error(n, "\(at).\(key)", "\(spec.name) is a \(spec.kind.word) field: \(key) draws \(kinds.map(\.word).joined(separator: " or ")) values")
            }
        }
        func earlier(_ n: Node, _ key: String, _ kind: FieldSpec.Kind) throws(PlanError) -> Int {
            let name = try r.string(n, "\(at).\(key)")
            guard let i = d.fields.firstIndex(where: { $0.name == name }), i < f, d.fields[i].kind == kind else {
                throw r.error(n, "\(at).\(key)", "\(name) is not a \(kind.word) field of \(d.dataset.rawValue) before \(spec.name)")
            }
            return i
        }
        let draw: SynthPlan.Draw
        if let n = m["value"] {
            draw = .literal(try r.string(n, "\(at).value"))
        } else if let n = m["chance"] {
            try need([.boolean], "chance", n)
            draw = .chance(try share(n, "\(at).chance", r: r))
        } else if let n = m["weights"] {
            try need([.enumeration, .integer], "weights", n)
            var weights: [(String, Int)] = []
            for (k, v) in try r.mapping(n, "\(at).weights") {
                let word = try r.string(k, "\(at).weights")
                if spec.kind == .enumeration {
                    guard spec.words.contains(word) else { throw r.error(k, "\(at).weights", "\"\(word)\" is not one of the words of \(spec.name) (\(spec.words.joined(separator: ", ")))") }
                } else {
                    guard (Int(word) ?? -1) >= 0 else { throw r.error(k, "\(at).weights", "\(spec.name) is an integer: weigh whole numbers") }
                }
                weights.append((word, try r.positiveInt(v, "\(at).weights.\(word)", atMost: 1_000_000)))
            }
            guard !weights.isEmpty else { throw r.error(n, "\(at).weights", "no words to draw") }
            draw = .weights(weights)
        } else if let n = m["range"] {
            try need([.integer], "range", n)
            draw = .uniform(try r.range(n, "\(at).range"))
        } else if let n = m["mean"] {
            try need([.integer], "mean", n)
            let spread = try m["spread"].map { s throws(PlanError) in try number(s, "\(at).spread", r: r) } ?? 0
            let within = try r.range(try r.required(m, "within", node, at), "\(at).within")
            if case .mapping = n {
                let by = try earlier(try r.required(m, "by", node, at), "by", .enumeration)
                let words = d.fields[by].words
                var means = [Double](repeating: .nan, count: words.count)
                for (k, v) in try r.mapping(n, "\(at).mean") {
                    let word = try r.string(k, "\(at).mean")
                    guard let w = words.firstIndex(of: word) else { throw r.error(k, "\(at).mean", "\"\(word)\" is not one of the words of \(d.fields[by].name)") }
                    means[w] = try number(v, "\(at).mean.\(word)", r: r)
                }
                guard !means.contains(where: \.isNaN) else { throw r.error(n, "\(at).mean", "a mean for every word of \(d.fields[by].name): \(words.joined(separator: ", "))") }
                draw = .around(by: by, means: means, spread: spread, within: within)
            } else {
                draw = .around(by: nil, means: [try number(n, "\(at).mean", r: r)], spread: spread, within: within)
            }
        } else if let n = m["share_of"] {
            try need([.integer], "share_of", n)
            draw = .share(of: try earlier(n, "share_of", .integer), percent: try percents(try r.required(m, "within", node, at), "\(at).within", r: r))
        } else if let n = m["agrees_with"] {
            try need([.integer], "agrees_with", n)
            let text = try r.string(n, "\(at).agrees_with")
            let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let other = datasets.first(where: { $0.dataset.rawValue == parts[0] }), other.dataset.index != d.dataset.index,
                  let k = other.measures.firstIndex(where: { $0.name == parts[1] }) else {
                throw r.error(n, "\(at).agrees_with", "\(text) is not dataset.measure of another dataset of the plan")
            }
            guard other.measures[k].sum != nil else { throw r.error(n, "\(at).agrees_with", "\(text) counts records: a school's value agrees with a sum: measure") }
            guard other.fields.contains(where: { $0.kind == .schoolID }), d.fields.contains(where: { $0.kind == .schoolID }) else {
                throw r.error(n, "\(at).agrees_with", "values agree school by school: both datasets need a school_id field")
            }
            draw = .agrees(dataset: other.dataset.index, measure: k, percent: try percents(try r.required(m, "within", node, at), "\(at).within", r: r))
        } else if let n = m["dates"] {
            try need([.date], "dates", n)
            let text = try r.string(n, "\(at).dates")
            let ends = text.split(separator: "..", omittingEmptySubsequences: false).map { monthDay(String($0)) }
            guard ends.count == 2, let from = ends[0], let to = ends[1], from <= to else {
                throw r.error(n, "\(at).dates", "expected days of the year such as 09-01..11-28, found \(text)")
            }
            draw = .dates(from: from, to: to)
        } else if let n = m["ages"] {
            try need([.residentID], "ages", n)
            let ages = try r.range(n, "\(at).ages")
            guard ages.upperBound <= 120 else { throw r.error(n, "\(at).ages", "an age is at most 120") }
            draw = .ages(ages)
        } else if let n = m["template"] {
            try need([.text], "template", n)
            let text = try r.string(n, "\(at).template")
            var labels: [String: String] = [:]
            if let l = m["labels"] {
                for (k, v) in try r.mapping(l, "\(at).labels") { labels[try r.string(k, "\(at).labels")] = try r.string(v, "\(at).labels") }
            }
            try placeholders(text, n, field: f, d, at: at, r: r)
            let append = try m["append"].map { a throws(PlanError) in try r.string(a, "\(at).append") } ?? ""
            let every = try m["every"].map { e throws(PlanError) in try r.positiveInt(e, "\(at).every", atMost: 1_000_000) } ?? 0
            draw = .template(text, labels: labels, append: append, every: every)
        } else if let n = m["school"] {
            try need([.schoolID], "school", n)
            guard try r.string(n, "\(at).school") == "random" else { throw r.error(n, "\(at).school", "write random: one of the county's schools") }
            draw = .randomSchool
        } else {
            draw = .typed
        }
        return SynthPlan.Generator(when: when, given: given, draw: draw)
    }

    /// `{name}` in a template: one of the record's own words or another of
    /// its fields (templates are filled once the rest of the record is drawn).
    private func placeholders(_ text: String, _ node: Node, field f: Int, _ d: DatasetPlan, at: String, r: YAMLWalker) throws(PlanError) {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { throw r.error(node, "\(at).template", "a { is never closed") }
            let name = String(rest[rest.index(after: open)..<close])
            let own = ["n", "round", "county", "county_name"]
            guard own.contains(name) || d.fields.enumerated().contains(where: { $0.element.name == name && $0.offset != f }) else {
                throw r.error(node, "\(at).template", "{\(name)} is neither \(own.map { "{\($0)}" }.joined(separator: ", ")) nor another field of \(d.dataset.rawValue)")
            }
            rest = rest[rest.index(after: close)...]
        }
    }

    private func fieldRef(_ node: Node, _ key: String, r: YAMLWalker) throws(PlanError) -> (Int, Int) {
        let text = try r.string(node, key)
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let d = datasets.first(where: { $0.dataset.rawValue == parts[0] }),
              let f = d.fields.firstIndex(where: { $0.name == parts[1] }) else {
            throw r.error(node, key, "\(text) is not dataset.field of the plan")
        }
        return (d.dataset.index, f)
    }

    private func number(_ node: Node, _ key: String, r: YAMLWalker) throws(PlanError) -> Double {
        let text = try r.string(node, key)
        guard let v = Double(text), v.isFinite, v >= 0, v <= 1e9 else { throw r.error(node, key, "expected a number such as 42 or 0.5, found \(text)") }
        return v
    }

    private func share(_ node: Node, _ key: String, r: YAMLWalker) throws(PlanError) -> Double {
        let v = try number(node, key, r: r)
        guard v <= 1 else { throw r.error(node, key, "a share is between 0 and 1, found \(v)") }
        return v
    }

    private func percent(_ node: Node, _ key: String, r: YAMLWalker, atMost limit: Int) throws(PlanError) -> Int {
        let text = try r.string(node, key)
        guard let v = Int(text), v >= 0, v <= limit else { throw r.error(node, key, "expected a whole percent from 0 to \(limit), found \(text)") }
        return v
    }

    /// `0.95..1.05` as whole percents 95...105.
    private func percents(_ node: Node, _ key: String, r: YAMLWalker) throws(PlanError) -> ClosedRange<Int> {
        let text = try r.string(node, key)
        let ends = text.split(separator: "..", omittingEmptySubsequences: false).map { Double($0) }
        guard ends.count == 2, let lo = ends[0], let hi = ends[1], lo >= 0, lo <= hi, hi <= 100 else {
            throw r.error(node, key, "expected shares such as 0.95..1.05 (low..high), found \(text)")
        }
        return Int((lo * 100).rounded())...Int((hi * 100).rounded())
    }

    /// `MM-DD` as MMDD, for a real day of a leap year.
    private func monthDay(_ s: String) -> Int? {
        let p = s.split(separator: "-")
        guard p.count == 2, p[0].count == 2, p[1].count == 2, let mo = Int(p[0]), let day = Int(p[1]), (1...12).contains(mo) else { return nil }
        let days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]
        guard (1...days).contains(day) else { return nil }
        return mo * 100 + day
    }
}
