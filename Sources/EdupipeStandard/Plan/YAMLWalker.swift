import Yams
import EdupipeInput

/// Walks YAML nodes and makes errors that name the file, line and column.
struct YAMLWalker {
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
