import Yams
#if canImport(Glibc)
import Glibc
import EdupipeInput
#endif

/// Reads a plan file (and the plans it extends) and compiles it: every
/// name resolved, every condition type-checked, every mistake reported at
/// its line and column.
enum PlanLoader {
    static func load(path: String) throws(PlanError) -> PipelineConfig {
        var chain: [PlanFile] = []
        try documents(path: path, into: &chain, seen: [])
        return try compile(chain)
    }

    static func parse(_ text: String, source: String) throws(PlanError) -> PipelineConfig {
        var chain: [PlanFile] = []
        let doc = try PlanFile(text: text, source: source)
        if let parent = doc.extends { try documents(path: parent, into: &chain, seen: [source]) }
        chain.append(doc)
        return try compile(chain)
    }

    /// The plan at `path` after the plans it extends, oldest first.
    private static func documents(path: String, into chain: inout [PlanFile], seen: [String]) throws(PlanError) {
        guard !seen.contains(path) else {
            throw PlanError(source: path, line: nil, column: nil, "the plans extend each other in a cycle: \((seen + [path]).joined(separator: " → "))")
        }
        // A plan is a regular file: a FIFO or a device would block the
        // load or never end.
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw PlanError(source: path, line: nil, column: nil, "cannot read the plan: not a regular file")
        }
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path, limit: 4 << 20)
        } catch {
            throw PlanError(source: path, line: nil, column: nil, "cannot read the plan: \(error)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PlanError(source: path, line: nil, column: nil, "the plan is not UTF-8 text")
        }
        let doc = try PlanFile(text: text, source: path)
        if let parent = doc.extends { try documents(path: parent, into: &chain, seen: seen + [path]) }
        chain.append(doc)
    }

    /// One plan file, composed.
    struct PlanFile {
        let r: Reader
        let top: Keyed
        /// The path of the plan this one extends, relative to the file's folder.
        let extends: String?

        init(text: String, source: String) throws(PlanError) {
            r = Reader(source: source)
            let root: Node
            do {
                // The basic resolver: every scalar is text, read as the plan
                // expects it; Yams's default resolves each scalar's type
                // through regular expressions (half of a small `validate`).
                guard let node = try Yams.compose(yaml: text, .basic) else {
                    throw PlanError(source: source, line: nil, column: nil, "the plan is empty")
                }
                root = node
            } catch let error as PlanError {
                throw error
            } catch let error as YamlError {
                throw Reader.yamlError(error, source: source)
            } catch {
                throw PlanError(source: source, line: nil, column: nil, "not valid YAML: \(error)")
            }
            top = try r.mapping(root, "the top level")
            try r.onlyKeys(top, ["plan", "extends", "limits", "periods", "messages", "datasets", "indicators", "targets", "quality"],
                           in: "the top level")
            if let e = top["extends"] {
                let name = try r.string(e, "extends")
                let folder = source.contains("/") ? String(source[..<source.lastIndex(of: "/")!]) + "/" : ""
                extends = name.hasPrefix("/") ? name : folder + name
            } else {
                extends = nil
            }
        }
    }

    // MARK: compiling the chain

    private static func compile(_ chain: [PlanFile]) throws(PlanError) -> PipelineConfig {
        guard let last = chain.last else { throw PlanError(source: "", line: nil, column: nil, "no plan") }
        var plan: String?
        var limits = (1 << 30, 1 << 20, 10_000)
        var deadlines: [String: String] = [:]
        var messageNodes: [String: (Node, Reader)] = [:]
        var datasetNodes: [(name: String, node: Node, r: Reader)] = []
        var targetNodes: [(key: Node, value: Node, r: Reader)] = []
        var indicatorNodes: [(node: Node, r: Reader)] = []
        var qualityNodes: [(node: Node, r: Reader)] = []
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
                        let parsed = Array(text.utf8).withUnsafeBytes { ValueParsers.date($0) }
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
        return PipelineConfig(plan: plan, limits: limits, datasets: datasets, catalog: IndicatorCatalog(specs),
                              messages: messages, deadlines: deadlines, source: last.r.source, quality: quality)
    }
}

/// Compiles one dataset's declaration.
private struct DatasetCompiler {
    let r: Reader
    let node: Node
    let index: Int
    let slotBase: Int

    func compile() throws(PlanError) -> (DatasetPlan, [IndicatorSpec]) {
        let m = try r.mapping(node, "datasets")
        let name = try r.string(m["name"]!, "datasets.name")
        let at = "datasets.\(name)"
        try r.onlyKeys(m, ["name", "zh", "en", "record", "empty_file", "key", "key_message", "link", "fields", "constants",
                           "rules", "measures", "indicators"], in: at)
        guard Reader.isIdentifier(name) else {
            throw r.error(m["name"]!, "\(at).name", "a dataset name is lower-case letters, digits and _, starting with a letter (it is part of file names)")
        }
        let dataset = Dataset(rawValue: name, index: index)
        let names = DisplayName(zh: try r.string(try r.required(m, "zh", node, at), "\(at).zh"),
                                en: try r.string(try r.required(m, "en", node, at), "\(at).en"))
        let record = try r.displayName(try r.required(m, "record", node, at), "\(at).record")
        var mayBeEmpty = false
        if let e = m["empty_file"] {
            switch try r.string(e, "\(at).empty_file") {
            case "valid": mayBeEmpty = true
            case "rejected": mayBeEmpty = false
            case let other: throw r.error(e, "\(at).empty_file", "write valid or rejected, not \(other)")
            }
        }

        // Fields, in the order errors are reported.
        guard case .sequence(let fieldNodes)? = m["fields"], !fieldNodes.isEmpty else {
            throw r.error(m["fields"] ?? node, "\(at).fields", "expected a list of fields")
        }
        guard fieldNodes.count <= 64 else { throw r.error(m["fields"]!, "\(at).fields", "at most 64 fields") }
        var fields: [FieldSpec] = []
        // Every field's name first, so a condition that names a later field
        // says so.
        let declared = fieldNodes.compactMap { n -> String? in
            if case .mapping(let m) = n, let name = Keyed(m)["name"], case .scalar(let s) = name { return s.string }
            return nil
        }
        for f in fieldNodes { fields.append(try field(f, at: at, before: fields, declared: declared)) }
        let fieldNames = fields.map(\.name)

        var key: [Int] = []
        if let k = m["key"] {
            for item in try r.list(k, "\(at).key") {
                let n = try r.string(item, "\(at).key")
                guard let i = fieldNames.firstIndex(of: n) else { throw r.error(item, "\(at).key", "no field \(n) in \(name)") }
                guard fields[i].required else { throw r.error(item, "\(at).key", "\(n) is not required: a key's fields must be") }
                key.append(i)
            }
        }
        var keyMessage: MessageTemplate?
        if let k = m["key_message"] {
            keyMessage = try r.message(k, "\(at).key_message", fields: fieldNames)
        } else if !key.isEmpty {
            throw r.error(node, "\(at).key_message", "missing: a key needs the message for a repeated key")
        }
        var link: Int?
        if let l = m["link"] {
            let n = try r.string(l, "\(at).link")
            guard let i = fieldNames.firstIndex(of: n), fields[i].kind == .residentID, fields[i].required else {
                throw r.error(l, "\(at).link", "a linked field is a required resident_id field of \(name)")
            }
            link = i
        }

        var constants: [ConstantSpec] = []
        if let list = m["constants"] {
            for item in try r.list(list, "\(at).constants") {
                let c = try constant(item, at: "\(at).constants", fields: fields)
                guard !constants.contains(where: { $0.name == c.name }), !fieldNames.contains(c.name) else {
                    throw r.error(item, "\(at).constants", "\(c.name) is already the name of a field or constant")
                }
                constants.append(c)
            }
        }
        let r = Reader(source: self.r.source, constants: constants)

        var rules: [RuleSpec] = []
        if let list = m["rules"] {
            for item in try r.list(list, "\(at).rules") { rules.append(try rule(item, at: "\(at).rules", fields: fields, r: r)) }
        }

        var measures: [MeasureSpec] = []
        var slot = 0
        if let list = m["measures"] {
            for item in try r.list(list, "\(at).measures") {
                let measure = try self.measure(item, at: "\(at).measures", fields: fields, slot: slot, r: r)
                guard !measures.contains(where: { $0.name == measure.name }) else {
                    throw r.error(item, "\(at).measures", "the measure \(measure.name) is declared twice")
                }
                measures.append(measure)
                slot += measure.slotCount
            }
        }

        let plan = DatasetPlan(dataset: dataset, names: names, record: record, mayBeEmpty: mayBeEmpty, fields: fields,
                               key: key, keyMessage: keyMessage, link: link, constants: constants, rules: rules, measures: measures)
        var indicators: [IndicatorSpec] = []
        if let list = m["indicators"] {
            for item in try r.list(list, "\(at).indicators") {
                let spec = try indicator(item, at: "\(at).indicators", plan: plan)
                guard !indicators.contains(where: { $0.name == spec.name }) else {
                    throw r.error(item, "\(at).indicators", "the indicator \(spec.name) is declared twice")
                }
                indicators.append(spec)
            }
        }
        return (plan, indicators)
    }

    private func field(_ node: Node, at: String, before: [FieldSpec], declared: [String]) throws(PlanError) -> FieldSpec {
        let m = try r.mapping(node, "\(at).fields")
        let name = try r.string(try r.required(m, "name", node, "\(at).fields"), "\(at).fields.name")
        let place = "\(at).fields.\(name)"
        try r.onlyKeys(m, ["name", "type", "required", "range", "length", "max_length", "words", "required_when", "ranges", "note",
                           "example"], in: place)
        guard Reader.isIdentifier(name) else { throw r.error(m["name"]!, place, "a field name is lower-case letters, digits and _") }
        guard !before.contains(where: { $0.name == name }) else { throw r.error(m["name"]!, place, "the field \(name) is declared twice") }
        let typeNode = try r.required(m, "type", node, place)
        let typeWord = try r.string(typeNode, "\(place).type")
        guard let kind = FieldSpec.Kind.allCases.first(where: { $0.word == typeWord }) else {
            throw r.error(typeNode, "\(place).type", "unknown type \(typeWord); the types are \(FieldSpec.Kind.allCases.map(\.word).joined(separator: ", "))")
        }
        var required = true
        if let q = m["required"] { required = try r.bool(q, "\(place).required") }
        var range: ClosedRange<Int>?
        if let v = m["range"] {
            guard kind == .integer else { throw r.error(v, "\(place).range", "only an integer has a range (a text has a length)") }
            range = try r.range(v, "\(place).range")
        }
        if let v = m["length"] {
            guard kind == .text else { throw r.error(v, "\(place).length", "only a text has a length") }
            range = try r.range(v, "\(place).length")
        }
        if let v = m["max_length"] {
            guard kind == .text else { throw r.error(v, "\(place).max_length", "only a text has a length") }
            range = 0...(try r.positiveInt(v, "\(place).max_length", atMost: 1 << 20))
        }
        if kind == .text && range == nil { throw r.error(node, place, "a text field needs its length: max_length: 100 or length: 1..20") }
        var words: [String] = []
        if let v = m["words"] {
            guard kind == .enumeration else { throw r.error(v, "\(place).words", "only an enum has words") }
            for w in try r.list(v, "\(place).words") {
                let word = try r.string(w, "\(place).words")
                guard !word.isEmpty, !word.contains(where: { $0 == " " || $0 == "," }), !words.contains(word) else {
                    throw r.error(w, "\(place).words", "a word is one token, given once: \"\(word)\"")
                }
                words.append(word)
            }
        }
        if kind == .enumeration && words.isEmpty { throw r.error(node, place, "an enum field needs its words") }
        var requiredWhen: Condition?
        var requiredMessage: MessageTemplate?
        let allNames = before.map(\.name) + [name]
        if let v = m["required_when"] {
            guard !required else { throw r.error(v, "\(place).required_when", "the field is always required: write required: false with required_when") }
            let w = try r.mapping(v, "\(place).required_when")
            try r.onlyKeys(w, ["when", "zh", "en"], in: "\(place).required_when")
            requiredWhen = try r.condition(try r.required(w, "when", v, "\(place).required_when"), fields: before, visible: before.count,
                                           later: Array(declared.dropFirst(before.count)))
            requiredMessage = try r.message(v, "\(place).required_when", fields: allNames)
        }
        var ranges: [FieldSpec.ConditionalRange] = []
        if let v = m["ranges"] {
            guard kind == .integer else { throw r.error(v, "\(place).ranges", "only an integer has ranges") }
            for item in try r.list(v, "\(place).ranges") {
                let e = try r.mapping(item, "\(place).ranges")
                try r.onlyKeys(e, ["when", "range", "zh", "en"], in: "\(place).ranges")
                let when = try e["when"].map { n throws(PlanError) in
                    try r.condition(n, fields: before, visible: before.count, later: Array(declared.dropFirst(before.count)))
                }
                ranges.append(.init(when: when, range: try r.range(try r.required(e, "range", item, "\(place).ranges"), "\(place).ranges.range"),
                                    message: try r.message(item, "\(place).ranges", fields: allNames)))
            }
        }
        let note = try m["note"].map { n throws(PlanError) in try r.displayName(n, "\(place).note") }
        let example = try m["example"].map { n throws(PlanError) in try r.string(n, "\(place).example") }
        return FieldSpec(name: name, kind: kind, required: required, range: range, words: words,
                         requiredWhen: requiredWhen, requiredMessage: requiredMessage, ranges: ranges, note: note, example: example)
    }

    /// `{name: standard_size, by: stage, values: {primary: 45, junior: 50, senior: 50}}`.
    private func constant(_ node: Node, at: String, fields: [FieldSpec]) throws(PlanError) -> ConstantSpec {
        let m = try r.mapping(node, at)
        let name = try r.string(try r.required(m, "name", node, at), "\(at).name")
        let place = "\(at).\(name)"
        try r.onlyKeys(m, ["name", "by", "values"], in: place)
        guard Reader.isIdentifier(name) else { throw r.error(m["name"]!, place, "a constant's name is lower-case letters, digits and _") }
        let byNode = try r.required(m, "by", node, place)
        let by = try r.string(byNode, "\(place).by")
        guard let field = fields.firstIndex(where: { $0.name == by }), fields[field].kind == .enumeration else {
            throw r.error(byNode, "\(place).by", "a constant is given per word of an enum field; \(by) is not one")
        }
        let valuesNode = try r.required(m, "values", node, place)
        var byWord: [String: Int] = [:]
        for (k, v) in try r.mapping(valuesNode, "\(place).values") {
            let word = try r.string(k, "\(place).values")
            guard fields[field].words.contains(word) else {
                throw r.error(k, "\(place).values", "\(word) is not a word of \(by) (\(fields[field].words.joined(separator: ", ")))")
            }
            let text = try r.string(v, "\(place).values.\(word)")
            guard let n = Int(text), n >= 0 else { throw r.error(v, "\(place).values.\(word)", "expected a whole number, found \(text)") }
            byWord[word] = n
        }
        let values = try fields[field].words.map { w throws(PlanError) -> Int in
            guard let n = byWord[w] else { throw r.error(valuesNode, "\(place).values", "no value for \(w): give one for every word of \(by)") }
            return n
        }
        return ConstantSpec(name: name, field: field, values: values)
    }

    private func rule(_ node: Node, at: String, fields: [FieldSpec], r: Reader) throws(PlanError) -> RuleSpec {
        let m = try r.mapping(node, at)
        try r.onlyKeys(m, ["when", "check", "column", "code", "zh", "en"], in: at)
        let when = try m["when"].map { n throws(PlanError) in try r.condition(n, fields: fields, visible: fields.count) }
        let check = try r.condition(try r.required(m, "check", node, at), fields: fields, visible: fields.count)
        var column = check.fields.first ?? 0
        if let c = m["column"] {
            let n = try r.string(c, "\(at).column")
            guard let i = fields.firstIndex(where: { $0.name == n }) else { throw r.error(c, "\(at).column", "no field \(n)") }
            column = i
        }
        var code = IssueCode.rule
        if let c = m["code"] {
            let text = try r.string(c, "\(at).code")
            let allowed: [IssueCode] = [.rule, .range, .required, .type, .enumeration, .countyMismatch]
            guard let parsed = IssueCode(rawValue: text), allowed.contains(parsed) else {
                throw r.error(c, "\(at).code", "a rule's code is one of \(allowed.map(\.rawValue).joined(separator: ", "))")
            }
            code = parsed
        }
        return RuleSpec(when: when, check: check, code: code, column: column,
                        message: try r.message(node, at, fields: fields.map(\.name)))
    }

    private func measure(_ node: Node, at: String, fields: [FieldSpec], slot: Int, r: Reader) throws(PlanError) -> MeasureSpec {
        let m = try r.mapping(node, at)
        let name = try r.string(try r.required(m, "name", node, at), "\(at).name")
        let place = "\(at).\(name)"
        try r.onlyKeys(m, ["name", "count", "sum", "where", "by"], in: place)
        guard Reader.isIdentifier(name), name != "all" else { throw r.error(m["name"]!, place, "a measure name is lower-case letters, digits and _") }
        var filter: Condition?
        var sum: Int?
        switch (m["count"], m["sum"]) {
        case (let c?, nil):
            if try r.string(c, "\(place).count") != "all" { filter = try r.condition(c, fields: fields, visible: fields.count) }
            if m["where"] != nil { throw r.error(m["where"]!, "\(place).where", "a count takes its condition itself: count: <condition>") }
        case (nil, let s?):
            let n = try r.string(s, "\(place).sum")
            guard let i = fields.firstIndex(where: { $0.name == n }), fields[i].kind == .integer else {
                throw r.error(s, "\(place).sum", "a sum adds an integer field; \(n) is not one")
            }
            sum = i
            if let w = m["where"] { filter = try r.condition(w, fields: fields, visible: fields.count) }
        default:
            throw r.error(node, place, "a measure has either count: <condition or all> or sum: <integer field>")
        }
        var by: Int?
        var variants: [String] = []
        if let b = m["by"] {
            let n = try r.string(b, "\(place).by")
            guard let i = fields.firstIndex(where: { $0.name == n }), fields[i].kind == .enumeration else {
                throw r.error(b, "\(place).by", "a measure is split by an enum field; \(n) is not one")
            }
            by = i
            variants = fields[i].words
            guard !variants.contains("all") else { throw r.error(b, "\(place).by", "\(n) has the word all, which names every variant together") }
        }
        return MeasureSpec(name: name, filter: filter, sum: sum, by: by, variants: variants, slot: slotBase + slot)
    }

    func indicator(_ node: Node, at: String, plan: DatasetPlan, extraKeys: [String] = []) throws(PlanError) -> IndicatorSpec {
        let m = try r.mapping(node, at)
        let local = try r.string(try r.required(m, "name", node, at), "\(at).name")
        let name = "\(plan.dataset.rawValue).\(local)"
        let place = "\(at).\(local)"
        try r.onlyKeys(m, ["name", "zh", "en", "target", "chart", "format", "reporting_rate", "numerator", "denominator",
                           "count", "counties_with_zero", "periods", "linked_duplicates"] + extraKeys, in: place)
        let names = DisplayName(zh: try r.string(try r.required(m, "zh", node, place), "\(place).zh"),
                                en: try r.string(try r.required(m, "en", node, place), "\(place).en"))
        func slots(_ n: Node, _ key: String) throws(PlanError) -> (slots: [Int], text: String) {
            let text = try r.string(n, "\(place).\(key)")
            let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
            guard let measure = plan.measure(named: parts[0]) else {
                throw r.error(n, "\(place).\(key)", "no measure \(parts[0]) in \(plan.dataset.rawValue); its measures are \(plan.measures.map(\.name).joined(separator: ", "))")
            }
            guard let range = measure.slots(variant: parts.count > 1 ? parts[1] : nil) else {
                throw r.error(n, "\(place).\(key)", "\(parts[1]) is not a variant of \(measure.name) (\(measure.variants.isEmpty ? "it is not split" : (measure.variants + ["all"]).joined(separator: ", ")))")
            }
            return (Array(range), text)
        }
        let kind: IndicatorSpec.Kind
        var sustained = 1
        let definition: (String, String?)
        let kinds = ["reporting_rate", "numerator", "count", "counties_with_zero", "linked_duplicates"].filter { m[$0] != nil }
        guard kinds.count == 1 else {
            throw r.error(node, place, "an indicator is one of: reporting_rate: true, numerator: + denominator:, count:, counties_with_zero:, linked_duplicates: true")
        }
        if m["denominator"] != nil && kinds[0] != "numerator" { throw r.error(m["denominator"]!, place, "only a numerator has a denominator") }
        if let p = m["periods"], kinds[0] != "counties_with_zero" {
            throw r.error(p, "\(place).periods", "only counties_with_zero looks across periods")
        }
        switch kinds[0] {
        case "reporting_rate":
            guard try r.bool(m["reporting_rate"]!, "\(place).reporting_rate") else { throw r.error(m["reporting_rate"]!, place, "write reporting_rate: true") }
            kind = .reportingRate
            definition = ("counties with a file in force", "counties")
        case "numerator":
            let n = try slots(m["numerator"]!, "numerator")
            let d = try slots(try r.required(m, "denominator", node, place), "denominator")
            kind = .ratio(numerator: n.slots, denominator: d.slots)
            definition = (n.text, d.text)
        case "count":
            let n = try slots(m["count"]!, "count")
            kind = .count(n.slots)
            definition = (n.text, nil)
        case "counties_with_zero":
            let n = try slots(m["counties_with_zero"]!, "counties_with_zero")
            // Over how many periods (this one and those before it, section
            // 8.1) the county's file in force must show zero: 常态清零.
            let periods = try m["periods"].map { p throws(PlanError) in try r.positiveInt(p, "\(place).periods", atMost: 40) } ?? 1
            kind = .countiesWithZero(n.slots)
            sustained = periods
            definition = periods == 1
                ? ("counties with \(n.text) = 0", "counties with a file in force")
                : ("counties with \(n.text) = 0 in this period and the \(periods - 1) before it", "counties with a file in force")
        default:
            guard plan.link != nil else { throw r.error(m["linked_duplicates"]!, place, "the dataset has no linked field (link: student_id)") }
            kind = .linkedDuplicates
            definition = ("children listed by two or more counties", nil)
        }
        var display: IndicatorSpec.Display
        switch kind {
        case .count, .linkedDuplicates: display = .count
        default: display = .percent
        }
        if let f = m["format"] {
            let text = try r.string(f, "\(place).format")
            guard let d = IndicatorSpec.Display(rawValue: text) else { throw r.error(f, "\(place).format", "write percent, decimal or count") }
            display = d
        }
        let target = try m["target"].map { n throws(PlanError) in try r.targetRule(n, "\(place).target") } ?? TargetRule()
        let chart = try m["chart"].map { n throws(PlanError) in try r.bool(n, "\(place).chart") } ?? false
        return IndicatorSpec(name: name, dataset: plan.dataset, kind: kind, names: names, display: display,
                             target: target, chart: chart, definition: definition, periods: sustained)
    }
}

/// Walks YAML nodes and makes errors that name the file, line and column.
struct Reader {
    let source: String
    /// The constants conditions may name (those of the dataset being read).
    var constants: [ConstantSpec] = []

    init(source: String, constants: [ConstantSpec] = []) {
        self.source = source
        self.constants = constants
    }

    static func yamlError(_ error: YamlError, source: String) -> PlanError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return PlanError(source: source, line: mark.line, column: mark.column, "not valid YAML: \(problem)")
        case .composer(_, let problem, let mark, _):
            return PlanError(source: source, line: mark.line, column: mark.column, "not valid YAML: \(problem)")
        default:
            return PlanError(source: source, line: nil, column: nil, "not valid YAML: \(error)")
        }
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first >= "a" && first <= "z" else { return false }
        return s.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
    }

    func error(_ node: Node, _ key: String, _ what: String) -> PlanError {
        PlanError(source: source, line: node.mark?.line, column: node.mark?.column, "\(key): \(what)")
    }

    /// Where a scalar's text starts: after its opening quote, if any.
    func textPlace(_ node: Node) -> (source: String, line: Int?, column: Int?) {
        var column = node.mark?.column
        if case .scalar(let s) = node, s.style == .singleQuoted || s.style == .doubleQuoted { column = column.map { $0 + 1 } }
        return (source, node.mark?.line, column)
    }

    func mapping(_ node: Node, _ key: String) throws(PlanError) -> Keyed {
        guard case .mapping(let m) = node else { throw error(node, key, "expected a mapping of keys to values") }
        return Keyed(m)
    }

    func list(_ node: Node, _ key: String) throws(PlanError) -> [Node] {
        if case .sequence(let s) = node { return Array(s) }
        if case .scalar = node { return [node] }
        throw error(node, key, "expected a list")
    }

    func required(_ m: Keyed, _ key: String, _ parent: Node, _ place: String) throws(PlanError) -> Node {
        guard let v = m[key] else { throw error(parent, "\(place).\(key)", "missing; it is needed here") }
        return v
    }

    func string(_ node: Node, _ key: String) throws(PlanError) -> String {
        guard case .scalar(let s) = node else { throw error(node, key, "expected a single value") }
        return s.string
    }

    func bool(_ node: Node, _ key: String) throws(PlanError) -> Bool {
        switch try string(node, key) {
        case "true", "yes": return true
        case "false", "no": return false
        case let other: throw error(node, key, "expected true or false, found \(other)")
        }
    }

    func positiveInt(_ node: Node, _ key: String, atMost limit: Int = .max) throws(PlanError) -> Int {
        let s = try string(node, key)
        guard let n = Int(s.filter { $0 != "_" }), n > 0 else {
            throw error(node, key, "expected a positive whole number (bytes or a count), found \(s)")
        }
        guard n <= limit else { throw error(node, key, "\(n) is more than the most allowed, \(limit)") }
        return n
    }

    /// `0..20000`.
    func range(_ node: Node, _ key: String) throws(PlanError) -> ClosedRange<Int> {
        let s = try string(node, key)
        let parts = s.split(separator: "..", omittingEmptySubsequences: false)
        guard parts.count == 2, let lo = Int(parts[0].trimmingSpaces), let hi = Int(parts[1].trimmingSpaces), lo >= 0, lo <= hi,
              hi < 1 << 40 else {
            throw error(node, key, "expected a range such as 0..20000 (low..high, whole numbers, low <= high), found \(s)")
        }
        return lo...hi
    }

    func condition(_ node: Node, fields: [FieldSpec], visible: Int, later: [String] = []) throws(PlanError) -> Condition {
        try ConditionParser.parse(try string(node, "condition"), fields: fields, constants: constants, visible: visible,
                                  later: later, place: textPlace(node))
    }

    /// `{zh: ..., en: ...}`.
    func displayName(_ node: Node, _ key: String) throws(PlanError) -> DisplayName {
        let m = try mapping(node, key)
        try onlyKeys(m, ["zh", "en"], in: key)
        return DisplayName(zh: try string(try required(m, "zh", node, key), "\(key).zh"),
                           en: try string(try required(m, "en", node, key), "\(key).en"))
    }

    /// The `zh` and `en` keys of `node` as a message over `fields`.
    func message(_ node: Node, _ key: String, fields: [String]) throws(PlanError) -> MessageTemplate {
        let m = try mapping(node, key)
        let zhNode = try required(m, "zh", node, key)
        let enNode = try required(m, "en", node, key)
        let zh = try string(zhNode, "\(key).zh")
        let en = try string(enNode, "\(key).en")
        return MessageTemplate(zh: try MessageTemplate.parse(zh, fields: fields, place: textPlace(zhNode)),
                               en: try MessageTemplate.parse(en, fields: fields, place: textPlace(enNode)),
                               source: DisplayName(zh: zh, en: en))
    }

    /// `">=1"`, `null`, or `{default:, county:, ..., periods: {}, provinces: {}}`.
    func targetRule(_ node: Node, _ key: String) throws(PlanError) -> TargetRule {
        if case .mapping(let raw) = node {
            let m = Keyed(raw)
            try onlyKeys(m, ["default", "county", "prefecture", "province", "national", "periods", "provinces"], in: key)
            var rule = TargetRule(base: try m["default"].map { n throws(PlanError) in try target(n, "\(key).default") } ?? nil)
            for level in ["county", "prefecture", "province", "national"] {
                if let n = m[level] { rule.levels[level] = .some(try target(n, "\(key).\(level)")) }
            }
            if let p = m["periods"] {
                for (k, v) in try mapping(p, "\(key).periods") {
                    let period = try string(k, "\(key).periods")
                    guard SubmissionName.isPeriod(period) else { throw error(k, "\(key).periods", "a period is YYYY-spring or YYYY-autumn") }
                    rule.periods[period] = .some(try target(v, "\(key).periods.\(period)"))
                }
            }
            if let p = m["provinces"] {
                for (k, v) in try mapping(p, "\(key).provinces") {
                    let code = try string(k, "\(key).provinces")
                    guard code.count == 6, code.allSatisfy(\.isASCIIDigit), code.hasSuffix("0000") else {
                        throw error(k, "\(key).provinces", "a province is its 6-digit code, such as 420000")
                    }
                    rule.provinces[code] = .some(try target(v, "\(key).provinces.\(code)"))
                }
            }
            return rule
        }
        return TargetRule(base: try target(node, key))
    }

    func target(_ node: Node, _ key: String) throws(PlanError) -> Target? {
        // YAML's null, read from the text: resolving a scalar's tag runs
        // Yams's regular expressions.
        if case .scalar(let s) = node,
           s.string == "~" || s.string == "null" || s.string.isEmpty || (s.style == .plain && (s.string == "Null" || s.string == "NULL")) {
            return nil
        }
        let text = try string(node, key)
        guard let target = Target.parse(text) else {
            throw error(node, key, "expected a target such as \">=1\" or \"<=0.05\", or null for none; found \(text)")
        }
        return target
    }

    func onlyKeys(_ m: Keyed, _ allowed: [String], in place: String) throws(PlanError) {
        for key in m.keys {
            let name = try string(key, place)
            guard allowed.contains(name) else {
                throw error(key, place == "the top level" ? name : "\(place).\(name)",
                            "unknown key; \(place) takes \(allowed.joined(separator: ", "))")
            }
        }
    }
}

/// A YAML mapping looked up by its keys' text, once: Yams's own subscript
/// compares key nodes one by one, tags included. Keys are plain strings in
/// a plan; their text is what counts.
struct Keyed: Sequence {
    let pairs: [(key: Node, value: Node)]
    private let index: [String: Int]

    init(_ m: Node.Mapping) {
        pairs = m.map { ($0.key, $0.value) }
        var index: [String: Int] = [:]
        for (i, p) in pairs.enumerated() {
            if case .scalar(let s) = p.key, index[s.string] == nil { index[s.string] = i }
        }
        self.index = index
    }

    subscript(_ key: String) -> Node? { index[key].map { pairs[$0].value } }

    var keys: [Node] { pairs.map(\.key) }

    func makeIterator() -> IndexingIterator<[(key: Node, value: Node)]> { pairs.makeIterator() }
}
