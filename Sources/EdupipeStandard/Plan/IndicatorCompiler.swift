import Yams
import EdupipeInput

/// The kinds of indicator a plan may declare, each by the key that names
/// it: one table, so the compiler's choice is a switch over every kind and
/// an indicator of no kind, or of two, is refused at its line and column.
enum IndicatorKindWord: String, CaseIterable {
    case reportingRate = "reporting_rate"
    case numerator
    case count
    case countiesWithZero = "counties_with_zero"
    case linkedDuplicates = "linked_duplicates"

    /// How the kind is written, for the message that lists them.
    var usage: String {
        switch self {
        case .reportingRate: "reporting_rate: true"
        case .numerator: "numerator: + denominator:"
        case .count: "count:"
        case .countiesWithZero: "counties_with_zero: (+ periods:)"
        case .linkedDuplicates: "linked_duplicates: true"
        }
    }
}

extension DatasetCompiler {
    /// Compiles one indicator of the dataset `plan` (declared in the
    /// dataset, or in the top-level `indicators:` with `dataset:`).
    func indicator(_ node: Node, at: String, plan: DatasetPlan, extraKeys: [String] = []) throws(PlanError) -> IndicatorSpec {
        let m = try r.mapping(node, at)
        let local = try r.string(try r.required(m, "name", node, at), "\(at).name")
        let name = "\(plan.dataset.rawValue).\(local)"
        let place = "\(at).\(local)"
        try r.onlyKeys(m, ["name", "zh", "en", "target", "chart", "format", "denominator", "periods"]
                           + IndicatorKindWord.allCases.map(\.rawValue) + extraKeys, in: place)
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
        let declared = IndicatorKindWord.allCases.compactMap { word in m[word.rawValue].map { (word, $0) } }
        guard declared.count == 1, let (word, kindNode) = declared.first else {
            // Two kinds: the second is the mistake; none: the indicator is.
            throw r.error(declared.dropFirst().first?.1 ?? node, place,
                          "an indicator is one of: \(IndicatorKindWord.allCases.map(\.usage).joined(separator: ", "))")
        }
        if let d = m["denominator"], word != .numerator { throw r.error(d, place, "only a numerator has a denominator") }
        if let p = m["periods"], word != .countiesWithZero {
            throw r.error(p, "\(place).periods", "only counties_with_zero looks across periods")
        }
        switch word {
        case .reportingRate:
            guard try r.bool(kindNode, "\(place).reporting_rate") else { throw r.error(kindNode, place, "write reporting_rate: true") }
            kind = .reportingRate
            definition = ("counties with a file in force", "counties")
        case .numerator:
            let n = try slots(kindNode, "numerator")
            let d = try slots(try r.required(m, "denominator", node, place), "denominator")
            kind = .ratio(numerator: n.slots, denominator: d.slots)
            definition = (n.text, d.text)
        case .count:
            let n = try slots(kindNode, "count")
            kind = .count(n.slots)
            definition = (n.text, nil)
        case .countiesWithZero:
            let n = try slots(kindNode, "counties_with_zero")
            // Over how many periods (this one and those before it, section
            // 8.1) the county's file in force must show zero: 常态清零.
            let periods = try m["periods"].map { p throws(PlanError) in try r.positiveInt(p, "\(place).periods", atMost: 40) } ?? 1
            kind = .countiesWithZero(n.slots)
            sustained = periods
            definition = periods == 1
                ? ("counties with \(n.text) = 0", "counties with a file in force")
                : ("counties with \(n.text) = 0 in this period and the \(periods - 1) before it", "counties with a file in force")
        case .linkedDuplicates:
            guard try r.bool(kindNode, "\(place).linked_duplicates") else { throw r.error(kindNode, place, "write linked_duplicates: true") }
            guard plan.link != nil else { throw r.error(kindNode, place, "the dataset has no linked field (link: student_id)") }
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
