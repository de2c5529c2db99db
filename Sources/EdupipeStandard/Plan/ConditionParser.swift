/// Reads a condition's text against a dataset's fields: every name a
/// field, every word one of its enumeration's, every comparison between
/// values of one type. Errors point at the word, as line and column of the
/// plan file.
struct ConditionParser {
    let fields: [FieldSpec]
    /// The dataset's constants by word.
    var constants: [ConstantSpec] = []
    /// Fields declared after the one this condition belongs to.
    var later: [String] = []
    /// Only fields before this index may be named (a field's conditions see
    /// the fields read before it); `fields.count` for rules and measures.
    let visible: Int
    let text: String
    /// Where the text starts in the plan file, to place errors.
    let place: (source: String, line: Int?, column: Int?)

    private var tokens: [(text: String, offset: Int)] = []
    private var position = 0
    private var ops: [ConditionOp] = []
    private var needs: UInt64 = 0
    private var named: [Int] = []

    init(fields: [FieldSpec], visible: Int, text: String, place: (source: String, line: Int?, column: Int?)) {
        self.fields = fields
        self.visible = visible
        self.text = text
        self.place = place
    }

    static func parse(_ text: String, fields: [FieldSpec], constants: [ConstantSpec] = [], visible: Int, later: [String] = [],
                      place: (source: String, line: Int?, column: Int?)) throws(PlanError) -> Condition {
        var p = ConditionParser(fields: fields, visible: visible, text: text, place: place)
        p.constants = constants
        p.later = later
        try p.tokenize()
        guard !p.tokens.isEmpty else { throw p.error(at: 0, "an empty condition: write one such as \"offers_service\" or \"days_per_week >= 5\"") }
        try p.orExpression()
        if p.position < p.tokens.count {
            throw p.error(at: p.tokens[p.position].offset, "unexpected \"\(p.tokens[p.position].text)\": join conditions with and / or")
        }
        var depth = 0
        var deepest = 0
        for op in p.ops {
            switch op {
            case .and, .or: depth -= 1
            case .not: break
            default: depth += 1
            }
            deepest = max(deepest, depth)
        }
        guard deepest <= 60 else { throw p.error(at: 0, "the condition is too deeply nested") }
        return Condition(text: text, ops: p.ops, needs: p.needs, fields: p.named)
    }

    func error(at offset: Int, _ what: String) -> PlanError {
        PlanError(source: place.source, line: place.line, column: place.column.map { $0 + offset }, "\(what) (in \"\(text)\")")
    }

    private mutating func tokenize() throws(PlanError) {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func isWord(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "-" || c == "."
        }
        while i < scalars.count {
            let c = scalars[i]
            if c == " " || c == "\t" || c == "\n" { i += 1; continue }
            let start = i
            if c == "(" || c == ")" {
                i += 1
            } else if "<>=!".unicodeScalars.contains(c) {
                i += 1
                if i < scalars.count && scalars[i] == "=" { i += 1 }
            } else if isWord(c) {
                while i < scalars.count && isWord(scalars[i]) { i += 1 }
            } else {
                throw error(at: start, "unexpected character \"\(c)\"")
            }
            var s = ""
            s.unicodeScalars.append(contentsOf: scalars[start..<i])
            tokens.append((s, start))
        }
    }

    private func peek() -> String? { position < tokens.count ? tokens[position].text : nil }
    private var offset: Int { position < tokens.count ? tokens[position].offset : text.unicodeScalars.count }

    private mutating func orExpression() throws(PlanError) {
        try andExpression()
        while peek() == "or" {
            position += 1
            try andExpression()
            ops.append(.or)
        }
    }

    private mutating func andExpression() throws(PlanError) {
        try notExpression()
        while peek() == "and" {
            position += 1
            try notExpression()
            ops.append(.and)
        }
    }

    private mutating func notExpression() throws(PlanError) {
        if peek() == "not" {
            position += 1
            try notExpression()
            ops.append(.not)
        } else {
            try primary()
        }
    }

    private mutating func field(_ name: String, at offset: Int) throws(PlanError) -> Int {
        guard let index = fields.firstIndex(where: { $0.name == name }) else {
            if later.contains(name) {
                throw error(at: offset, "\(name) comes after the field this condition belongs to: a field's condition can name only the fields before it")
            }
            throw error(at: offset, "no field \(name) in this dataset; its fields are \(fields.map(\.name).joined(separator: ", "))")
        }
        guard index < visible else {
            throw error(at: offset, "\(name) comes after the field this condition belongs to: a field's condition can name only the fields before it")
        }
        if !named.contains(index) { named.append(index) }
        return index
    }

    private mutating func primary() throws(PlanError) {
        guard let token = peek() else { throw error(at: offset, "the condition ends too early") }
        if token == "(" {
            position += 1
            try orExpression()
            guard peek() == ")" else { throw error(at: offset, "a \"(\" is not closed") }
            position += 1
            return
        }
        let at = offset
        guard token.first.map({ $0.isLetter }) ?? false else { throw error(at: at, "expected a field name, found \"\(token)\"") }
        let left = try field(token, at: at)
        position += 1
        let kind = fields[left].kind
        if peek() == "is" {
            position += 1
            let what = peek()
            guard what == "given" || what == "empty" else { throw error(at: offset, "write \"\(token) is given\" or \"\(token) is empty\"") }
            position += 1
            ops.append(.given(left))
            if what == "empty" { ops.append(.not) }
            return
        }
        let comparisons: [String: ConditionOp.Comparison] = ["=": .eq, "==": .eq, "!=": .ne, "<": .lt, "<=": .le, ">": .gt, ">=": .ge]
        guard let next = peek(), let comparison = comparisons[next] else {
            guard kind == .boolean else {
                throw error(at: at, "\(token) is a \(kind.word) field: compare it (\(token) = ...) or test it (\(token) is given)")
            }
            ops.append(.isTrue(left))
            needs |= 1 << UInt64(left)
            return
        }
        let comparisonAt = offset
        position += 1
        if comparison != .eq && comparison != .ne && !kind.isOrdered {
            throw error(at: comparisonAt, "\(token) is a \(kind.word) field: it can only be compared with = or !=")
        }
        guard let rightText = peek() else { throw error(at: offset, "the comparison has no right side") }
        let rightAt = offset
        position += 1
        needs |= 1 << UInt64(left)
        if let right = fields.firstIndex(where: { $0.name == rightText }) {
            let r = try field(rightText, at: rightAt)
            guard fields[right].kind == kind else {
                throw error(at: rightAt, "\(token) is of type \(kind.word) and \(rightText) of type \(fields[right].kind.word): only values of one type compare")
            }
            needs |= 1 << UInt64(r)
            ops.append(.fields(left, comparison, r))
            return
        }
        if let c = constants.firstIndex(where: { $0.name == rightText }) {
            guard kind == .integer else {
                throw error(at: rightAt, "\(rightText) is a whole number by \(fields[constants[c].field].name): compare an integer field with it")
            }
            let by = constants[c].field
            guard by < visible else { throw error(at: rightAt, "\(rightText) depends on \(fields[by].name), which comes after this field") }
            needs |= 1 << UInt64(by)
            if !named.contains(by) { named.append(by) }
            ops.append(.lookup(field: left, comparison, constant: c))
            return
        }
        switch kind {
        case .integer:
            guard rightText.allSatisfy(\.isASCIIDigit), !rightText.isEmpty, rightText.count <= 15, let n = Int(rightText) else {
                throw error(at: rightAt, "\(token) is an integer: compare it with a whole number or an integer field, not \"\(rightText)\"")
            }
            ops.append(.constant(field: left, comparison, n))
        case .boolean:
            let truth: [String: Int] = ["true": 1, "yes": 1, "false": 0, "no": 0]
            guard let n = truth[rightText] else { throw error(at: rightAt, "\(token) is a boolean: compare it with true or false") }
            ops.append(.constant(field: left, comparison, n))
        case .enumeration:
            guard let n = fields[left].words.firstIndex(of: rightText) else {
                throw error(at: rightAt, "\"\(rightText)\" is not one of the words of \(token) (\(fields[left].words.joined(separator: ", ")))")
            }
            ops.append(.constant(field: left, comparison, n))
        default:
            throw error(at: rightAt, "\(token) is a \(kind.word): it can be compared only with another \(kind.word) field")
        }
    }
}
