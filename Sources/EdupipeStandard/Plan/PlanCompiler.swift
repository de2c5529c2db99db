import Yams
import EdupipeInput

/// Compiles a plan chain (`PlanChain`) into the plan the pipeline runs:
/// the top-level sections merged in the chain's order, every dataset
/// compiled (`DatasetCompiler`), indicators and targets attached, the
/// quality checks compiled; every name resolved, every mistake reported
/// at its line and column.
enum PlanCompiler {
    /// The compiled plan of a chain, oldest plan first.
    static func compile(_ chain: [PlanFile]) throws(PlanError) -> CompiledPlan {
        guard let last = chain.last else { throw PlanError(source: "", line: nil, column: nil, "no plan") }
        var plan: String?
        var limits = (1 << 30, 1 << 20, 10_000)
        var deadlines: [String: String] = [:]
        var messageNodes: [String: (Node, YAMLWalker)] = [:]
        var datasetNodes: [(name: String, node: Node, r: YAMLWalker)] = []
        var targetNodes: [(key: Node, value: Node, r: YAMLWalker)] = []
        var indicatorNodes: [(node: Node, r: YAMLWalker)] = []
        var qualityNodes: [(node: Node, r: YAMLWalker)] = []
        var synthNodes: [(node: Node, r: YAMLWalker)] = []
        for doc in chain {
            let r = doc.r
            let top = doc.top
            if let p = top["plan"] { plan = try r.string(p, "plan") }
            if let node = top["limits"] {
                let m = try r.mapping(node, "limits")
                try r.onlyKeys(m, ["max_decompressed_bytes", "max_record_bytes", "max_listed_issues_per_file"], in: "limits")
                // Bounds keep the readers' arithmetic in range: a record's field
                // offsets are 32-bit, and the size count adds one past the limit.
                if let v = m["max_decompressed_bytes"] { limits.0 = try r.positiveInt(v, "limits.max_decompressed_bytes", atMost: 1 << 50) }
                if let v = m["max_record_bytes"] { limits.1 = try r.positiveInt(v, "limits.max_record_bytes", atMost: 1 << 30) }
                if let v = m["max_listed_issues_per_file"] { limits.2 = try r.positiveInt(v, "limits.max_listed_issues_per_file", atMost: 10_000_000) }
            }
            if let node = top["periods"] {
                for (keyNode, value) in try r.mapping(node, "periods") {
                    let period = try r.string(keyNode, "periods")
                    guard SubmissionName.isPeriod(period) else { throw r.error(keyNode, "periods.\(period)", "a period is YYYY-spring or YYYY-autumn") }
                    let p = try r.mapping(value, "periods.\(period)")
                    try r.onlyKeys(p, ["deadline"], in: "periods.\(period)")
                    if let d = p["deadline"] {
                        let text = try r.string(d, "periods.\(period).deadline")
                        let parsed = ValueParsers.date(text)
                        guard parsed != nil, !text.contains("/") else {
                            throw r.error(d, "periods.\(period).deadline", "expected a date YYYY-MM-DD, found \(text)")
                        }
                        deadlines[period] = text
                    }
                }
            }
            if let node = top["messages"] {
                for (keyNode, value) in try r.mapping(node, "messages") {
                    let key = try r.string(keyNode, "messages")
                    guard TypeMessages.keys.contains(key) else {
                        throw r.error(keyNode, "messages.\(key)", "unknown message; the messages are \(TypeMessages.keys.joined(separator: ", "))")
                    }
                    messageNodes[key] = (value, r)
                }
            }
            if let node = top["datasets"] {
                guard case .sequence(let seq) = node else { throw r.error(node, "datasets", "expected a list of datasets") }
                for d in seq {
                    let m = try r.mapping(d, "datasets")
                    let name = try r.string(try r.required(m, "name", d, "datasets"), "datasets.name")
                    if let i = datasetNodes.firstIndex(where: { $0.name == name }) {
                        // A later plan that declares a dataset again replaces it.
                        guard datasetNodes[i].r.source != r.source else {
                            throw r.error(d, "datasets.\(name)", "the dataset \(name) is declared twice")
                        }
                        datasetNodes[i] = (name, d, r)
                    } else {
                        datasetNodes.append((name, d, r))
                    }
                }
            }
            if let node = top["targets"] {
                for (k, v) in try r.mapping(node, "targets") { targetNodes.append((k, v, r)) }
            }
            if let node = top["indicators"] {
                // Indicators added to a dataset an earlier plan declared.
                for item in try r.list(node, "indicators") { indicatorNodes.append((item, r)) }
            }
            if let node = top["quality"] { qualityNodes.append((node, r)) }
            if let node = top["synth"] { synthNodes.append((node, r)) }
        }
        guard let plan else { throw PlanError(source: last.r.source, line: nil, column: nil, "plan: missing; the plan needs a name") }
        guard !datasetNodes.isEmpty else { throw PlanError(source: last.r.source, line: nil, column: nil, "datasets: missing; a plan declares at least one dataset") }
        guard datasetNodes.count <= 200 else { throw PlanError(source: last.r.source, line: nil, column: nil, "more than 200 datasets") }

        var templates: [String: MessageTemplate] = [:]
        for key in TypeMessages.keys {
            guard let (node, r) = messageNodes[key] else {
                throw PlanError(source: last.r.source, line: nil, column: nil, "messages.\(key): missing; every value type needs its messages")
            }
            templates[key] = try r.message(node, "messages.\(key)", fields: [])
        }
        func kinds(_ prefix: String) -> [FieldSpec.Kind: MessageTemplate] {
            Dictionary(uniqueKeysWithValues: FieldSpec.Kind.allCases.map { ($0, templates["\(prefix).\($0.word)"]!) })
        }
        let messages = TypeMessages(required: kinds("required"), invalid: kinds("invalid"), range: templates["range"]!,
                                    countyMismatch: templates["county_mismatch"]!, checksum: templates["checksum"]!,
                                    birthDate: templates["birth_date"]!, tooLong: templates["too_long"]!, tooShort: templates["too_short"]!,
                                    scientific: templates["spreadsheet.scientific"]!, decimal: templates["spreadsheet.decimal"]!,
                                    serialDate: templates["spreadsheet.serial_date"]!, fullWidth: templates["spreadsheet.full_width"]!,
                                    file: templates.filter { $0.key.hasPrefix("file.") })

        var datasets: [DatasetPlan] = []
        var specs: [IndicatorSpec] = []
        var slotBase = 0
        for (index, d) in datasetNodes.enumerated() {
            let (plan, indicators) = try DatasetCompiler(r: d.r, node: d.node, index: index, slotBase: slotBase).compile()
            datasets.append(plan)
            slotBase += plan.slotCount
            for spec in indicators {
                if specs.contains(where: { $0.name == spec.name }) {
                    throw PlanError(source: d.r.source, line: nil, column: nil, "the indicator \(spec.name) is declared twice")
                }
                specs.append(spec)
            }
        }
        var bases: [Int] = []
        var nextBase = 0
        for d in datasets {
            bases.append(nextBase)
            nextBase += d.slotCount
        }
        for (node, r) in indicatorNodes {
            let m = try r.mapping(node, "indicators")
            let name = try r.string(try r.required(m, "dataset", node, "indicators"), "indicators.dataset")
            guard let plan = datasets.first(where: { $0.dataset.rawValue == name }) else {
                throw r.error(m["dataset"]!, "indicators.dataset", "the plan has no dataset \(name); its datasets are \(datasets.map(\.dataset.rawValue).joined(separator: ", "))")
            }
            let spec = try DatasetCompiler(r: r, node: node, index: plan.dataset.index, slotBase: bases[plan.dataset.index])
                .indicator(node, at: "indicators.\(name)", plan: plan, extraKeys: ["dataset"])
            if specs.contains(where: { $0.name == spec.name }) {
                throw r.error(node, "indicators.\(name)", "the indicator \(spec.name) is declared twice")
            }
            specs.append(spec)
        }
        for (k, v, r) in targetNodes {
            let name = try r.string(k, "targets")
            guard let i = specs.firstIndex(where: { $0.name == name }) else {
                throw r.error(k, "targets.\(name)", "a target on nothing: the plan has no indicator \(name)")
            }
            let s = specs[i]
            specs[i] = IndicatorSpec(name: s.name, dataset: s.dataset, kind: s.kind, names: s.names, display: s.display,
                                     target: try r.targetRule(v, "targets.\(name)"), chart: s.chart, definition: s.definition, periods: s.periods)
        }
        var quality = QualityPlan()
        let compiler = QualityCompiler(datasets: datasets, indicators: Set(specs.map(\.name)))
        for (node, r) in qualityNodes { try compiler.apply(node, r: r, to: &quality) }
        var synth = SynthPlan()
        synth.order = Array(datasets.indices)
        for (node, r) in synthNodes { try SynthCompiler(datasets: datasets).apply(node, r: r, to: &synth) }
        return CompiledPlan(plan: plan, limits: limits, datasets: datasets, catalog: IndicatorCatalog(specs),
                              messages: messages, deadlines: deadlines, source: last.r.source, quality: quality, synth: synth)
    }
}
