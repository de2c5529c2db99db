import Yams

/// Compiles the plans' `quality:` sections (standard, section 8) over the
/// compiled datasets and indicators: every measure, indicator and dataset a
/// check names must exist, every threshold be a number, each mistake said
/// with its file, line and column. A plan that extends another adds to its
/// lists (measures over time, outlier indicators, related pairs) and may
/// change its thresholds and messages.
struct QualityCompiler {
    let datasets: [DatasetPlan]
    let indicators: Set<String>

    /// One plan file's `quality:` node, applied over what earlier plans set.
    func apply(_ node: Node, r: YAMLWalker, to plan: inout QualityPlan) throws(PlanError) {
        let m = try r.mapping(node, "quality")
        try r.onlyKeys(m, ["over_time", "outlier", "related"], in: "quality")
        if let n = m["over_time"] {
            let o = try r.mapping(n, "quality.over_time")
            try r.onlyKeys(o, ["change", "measures", "zh", "en"], in: "quality.over_time")
            let previous = plan.overTime
            let change = try o["change"].map { v throws(PlanError) in try decimal(v, "quality.over_time.change", r: r) } ?? previous?.change
            guard let change else { throw r.error(n, "quality.over_time.change", "missing; write the change that is flagged, such as 0.33") }
            var measures = previous?.measures ?? []
            if let list = o["measures"] {
                for item in try r.list(list, "quality.over_time.measures") {
                    let ref = try measureRef(item, "quality.over_time.measures", r: r)
                    guard !measures.contains(where: { $0.subject == ref.subject }) else {
                        throw r.error(item, "quality.over_time.measures", "\(ref.subject) is listed twice")
                    }
                    measures.append(ref)
                }
            }
            let message = try message(o, n, "quality.over_time", r: r) ?? previous?.message
            guard let message else { throw r.error(n, "quality.over_time", "zh: and en: missing: what a clerk reads when a measure is flagged") }
            plan.overTime = QualityPlan.OverTime(change: change, measures: measures, message: message)
        }
        if let n = m["outlier"] {
            let o = try r.mapping(n, "quality.outlier")
            try r.onlyKeys(o, ["min_peers", "modified_z", "indicators", "zh", "en"], in: "quality.outlier")
            let previous = plan.outlier
            let peers = try o["min_peers"].map { v throws(PlanError) in try r.positiveInt(v, "quality.outlier.min_peers", atMost: 100_000) } ?? previous?.minPeers
            guard let peers else { throw r.error(n, "quality.outlier.min_peers", "missing; write the fewest peers compared, such as 7") }
            let z = try o["modified_z"].map { v throws(PlanError) in try decimal(v, "quality.outlier.modified_z", r: r) } ?? previous?.modifiedZ
            guard let z else { throw r.error(n, "quality.outlier.modified_z", "missing; write the modified z-score flagged, such as 3.5") }
            var names = previous?.indicators ?? []
            if let list = o["indicators"] {
                for item in try r.list(list, "quality.outlier.indicators") {
                    let name = try r.string(item, "quality.outlier.indicators")
                    guard indicators.contains(name) else {
                        throw r.error(item, "quality.outlier.indicators", "the plan has no indicator \(name)")
                    }
                    guard !names.contains(name) else { throw r.error(item, "quality.outlier.indicators", "\(name) is listed twice") }
                    names.append(name)
                }
            }
            let message = try message(o, n, "quality.outlier", r: r) ?? previous?.message
            guard let message else { throw r.error(n, "quality.outlier", "zh: and en: missing: what a clerk reads when a value is flagged") }
            plan.outlier = QualityPlan.Outlier(minPeers: peers, modifiedZ: z, indicators: names, message: message)
        }
        if let n = m["related"] {
            for item in try r.list(n, "quality.related") {
                let pair = try related(item, r: r)
                if let i = plan.related.firstIndex(where: { $0.name == pair.name }) {
                    plan.related[i] = pair
                } else {
                    plan.related.append(pair)
                }
            }
        }
    }

    private func related(_ node: Node, r: YAMLWalker) throws(PlanError) -> QualityPlan.Related {
        let m = try r.mapping(node, "quality.related")
        let name = try r.string(try r.required(m, "name", node, "quality.related"), "quality.related.name")
        let place = "quality.related.\(name)"
        guard YAMLWalker.isIdentifier(name) else { throw r.error(m["name"]!, place, "a check's name is lower-case letters, digits and _") }
        try r.onlyKeys(m, ["name", "numerator", "denominator", "low", "high", "names", "zh", "en"], in: place)
        let numerator = try measureRef(try r.required(m, "numerator", node, place), "\(place).numerator", r: r)
        let denominator = try measureRef(try r.required(m, "denominator", node, place), "\(place).denominator", r: r)
        guard numerator.dataset != denominator.dataset else {
            throw r.error(m["denominator"]!, "\(place).denominator", "a related pair compares two datasets; both are \(numerator.dataset.rawValue)")
        }
        let low = try decimal(try r.required(m, "low", node, place), "\(place).low", r: r)
        let high = try decimal(try r.required(m, "high", node, place), "\(place).high", r: r)
        guard low.numerator * high.scale <= high.numerator * low.scale else {
            throw r.error(m["high"]!, "\(place).high", "high (\(high.text)) is below low (\(low.text))")
        }
        let names = try m["names"].map { v throws(PlanError) in try r.displayName(v, "\(place).names") } ?? DisplayName(zh: name, en: name)
        guard let message = try message(m, node, place, r: r) else {
            throw r.error(node, place, "zh: and en: missing: what a clerk reads when the pair is flagged")
        }
        return QualityPlan.Related(name: name, numerator: numerator, denominator: denominator, low: low, high: high,
                                   names: names, message: message)
    }

    /// `dataset.measure` (all variants of a split measure), or a mapping
    /// `{measure: dataset.measure, zh:, en:}` that names it for people.
    private func measureRef(_ node: Node, _ key: String, r: YAMLWalker) throws(PlanError) -> QualityPlan.MeasureRef {
        var textNode = node
        var names: DisplayName?
        if case .mapping = node {
            let m = try r.mapping(node, key)
            try r.onlyKeys(m, ["measure", "zh", "en"], in: key)
            textNode = try r.required(m, "measure", node, key)
            if m["zh"] != nil || m["en"] != nil {
                names = DisplayName(zh: try r.string(try r.required(m, "zh", node, key), "\(key).zh"),
                                    en: try r.string(try r.required(m, "en", node, key), "\(key).en"))
            }
        }
        let text = try r.string(textNode, key)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3 else {
            throw r.error(textNode, key, "expected dataset.measure (or dataset.measure.variant), found \(text)")
        }
        guard let plan = datasets.first(where: { $0.dataset.rawValue == parts[0] }) else {
            throw r.error(textNode, key, "the plan has no dataset \(parts[0]); its datasets are \(datasets.map(\.dataset.rawValue).joined(separator: ", "))")
        }
        guard let measure = plan.measure(named: parts[1]) else {
            throw r.error(textNode, key, "no measure \(parts[1]) in \(parts[0]); its measures are \(plan.measures.map(\.name).joined(separator: ", "))")
        }
        guard let range = measure.slots(variant: parts.count == 3 ? parts[2] : nil) else {
            throw r.error(textNode, key, "\(parts[2]) is not a variant of \(measure.name)")
        }
        let base = slotBase(of: plan)
        return QualityPlan.MeasureRef(subject: text, dataset: plan.dataset, slots: range.map { $0 - base },
                                      names: names ?? DisplayName(zh: text, en: text))
    }

    /// The first global slot of a dataset (measure slots are global).
    private func slotBase(of plan: DatasetPlan) -> Int {
        var n = 0
        for d in datasets {
            if d.dataset == plan.dataset { return n }
            n += d.slotCount
        }
        return n
    }

    /// A non-negative decimal with at most six decimals, kept exactly.
    private func decimal(_ node: Node, _ key: String, r: YAMLWalker) throws(PlanError) -> QualityPlan.Decimal {
        let text = try r.string(node, key)
        guard let t = Target.parse(">=" + text), !text.contains(">"), !text.contains("<") else {
            throw r.error(node, key, "expected a number such as 0.8 or 3.5, found \(text)")
        }
        return QualityPlan.Decimal(numerator: t.numerator, scale: t.scale, text: Target.decimal(t.numerator, t.scale))
    }

    private func message(_ m: Keyed, _ node: Node, _ key: String, r: YAMLWalker) throws(PlanError) -> DisplayName? {
        guard m["zh"] != nil || m["en"] != nil else { return nil }
        return DisplayName(zh: try r.string(try r.required(m, "zh", node, key), "\(key).zh"),
                           en: try r.string(try r.required(m, "en", node, key), "\(key).en"))
    }
}
