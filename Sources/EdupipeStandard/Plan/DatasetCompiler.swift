import Yams
import EdupipeInput

/// Compiles one dataset's declaration: its fields, constants, rules and
/// measures, and its indicators (`IndicatorCompiler.swift`).
struct DatasetCompiler {
    let r: YAMLWalker
    let node: Node
    let index: Int
    let slotBase: Int

    func compile() throws(PlanError) -> (DatasetPlan, [IndicatorSpec]) {
        let m = try r.mapping(node, "datasets")
        let name = try r.string(m["name"]!, "datasets.name")
        let at = "datasets.\(name)"
        try r.onlyKeys(m, ["name", "zh", "en", "record", "empty_file", "key", "key_message", "link", "fields", "constants",
                           "rules", "measures", "indicators"], in: at)
        guard YAMLWalker.isIdentifier(name) else {
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
        let r = YAMLWalker(source: self.r.source, constants: constants)

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
        guard YAMLWalker.isIdentifier(name) else { throw r.error(m["name"]!, place, "a field name is lower-case letters, digits and _") }
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
        guard YAMLWalker.isIdentifier(name) else { throw r.error(m["name"]!, place, "a constant's name is lower-case letters, digits and _") }
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

    private func rule(_ node: Node, at: String, fields: [FieldSpec], r: YAMLWalker) throws(PlanError) -> RuleSpec {
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

    private func measure(_ node: Node, at: String, fields: [FieldSpec], slot: Int, r: YAMLWalker) throws(PlanError) -> MeasureSpec {
        let m = try r.mapping(node, at)
        let name = try r.string(try r.required(m, "name", node, at), "\(at).name")
        let place = "\(at).\(name)"
        try r.onlyKeys(m, ["name", "count", "sum", "where", "by"], in: place)
        guard YAMLWalker.isIdentifier(name), name != "all" else { throw r.error(m["name"]!, place, "a measure name is lower-case letters, digits and _") }
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
}
