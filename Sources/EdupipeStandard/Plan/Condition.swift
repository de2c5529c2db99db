/// A condition of the plan over one record's fields, such as
/// `offers_service and days_per_week >= 5` or `status != out`, compiled to
/// a postfix program of plain values that the record checker runs with no
/// allocation, lookup or reference count.
public struct Condition: Sendable {
    /// The text as the plan wrote it.
    public let text: String
    let ops: [ConditionOp]
    /// Fields whose values must be valid for the condition to be judged:
    /// a rule on a value that is missing or wrong is not checked (that
    /// value has its own error already).
    let needs: UInt64
    /// The fields it names, in order of first mention.
    public let fields: [Int]
}

/// One step of a condition's program.
enum ConditionOp: Sendable {
    enum Comparison: UInt8, Sendable { case eq, ne, lt, le, gt, ge }
    case constant(field: Int, Comparison, Int)
    case fields(Int, Comparison, Int)
    /// A boolean field that is valid and true.
    case isTrue(Int)
    /// `low <= field <= high` (what `f >= low and f <= high` compiles to).
    case between(field: Int, Int, Int)
    /// A field compared with a constant that depends on an enumeration's
    /// word (`students > standard_size`): the constant's index.
    case lookup(field: Int, Comparison, constant: Int)
    /// The field has a value (valid or not).
    case given(Int)
    case and, or, not
}

extension ConditionOp.Comparison {
    @inline(__always)
    func holds(_ a: Int, _ b: Int) -> Bool {
        switch self {
        case .eq: a == b
        case .ne: a != b
        case .lt: a < b
        case .le: a <= b
        case .gt: a > b
        case .ge: a >= b
        }
    }
}

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

/// A whole number of the plan that depends on an enumeration's word, such
/// as the standard class size of each stage.
public struct ConstantSpec: Sendable {
    public let name: String
    /// The enumeration field.
    public let field: Int
    /// One value per word, in the words' order.
    public let values: [Int]
}

/// One step of a condition as the record checker runs it: a plain value
/// (no enum payload to unpack), its comparison a mask over less, equal
/// and greater, so a step is a few loads and no branch.
struct Step {
    enum Code: UInt8 { case constant, fields, isTrue, between, lookup, given, and, or, not }
    let code: Code
    /// Bit 0: holds when less, bit 1: when equal, bit 2: when greater.
    let mask: UInt8
    let a: Int
    let b: Int
    let x: Int
    let y: Int

    /// `lookups`: the first value of each constant in the plan's table.
    init(_ op: ConditionOp, constants: [(field: Int, start: Int)] = []) {
        func mask(_ c: ConditionOp.Comparison) -> UInt8 {
            switch c {
            case .lt: 0b001
            case .eq: 0b010
            case .gt: 0b100
            case .le: 0b011
            case .ge: 0b110
            case .ne: 0b101
            }
        }
        switch op {
        case .constant(let f, let c, let n): self = Step(code: .constant, mask: mask(c), a: f, b: 0, x: n, y: 0)
        case .fields(let f, let c, let g): self = Step(code: .fields, mask: mask(c), a: f, b: g, x: 0, y: 0)
        case .isTrue(let f): self = Step(code: .isTrue, mask: 0, a: f, b: 0, x: 0, y: 0)
        case .between(let f, let lo, let hi): self = Step(code: .between, mask: 0, a: f, b: 0, x: lo, y: hi)
        case .lookup(let f, let c, let k): self = Step(code: .lookup, mask: mask(c), a: f, b: constants[k].field, x: constants[k].start, y: 0)
        case .given(let f): self = Step(code: .given, mask: 0, a: f, b: 0, x: 0, y: 0)
        case .and: self = Step(code: .and, mask: 0, a: 0, b: 0, x: 0, y: 0)
        case .or: self = Step(code: .or, mask: 0, a: 0, b: 0, x: 0, y: 0)
        case .not: self = Step(code: .not, mask: 0, a: 0, b: 0, x: 0, y: 0)
        }
    }

    private init(code: Code, mask: UInt8, a: Int, b: Int, x: Int, y: Int) {
        self.code = code
        self.mask = mask
        self.a = a
        self.b = b
        self.x = x
        self.y = y
    }

    /// 1 when `l` compares with `r` as the mask says.
    @inline(__always)
    static func compare(_ l: Int, _ r: Int, _ mask: UInt8) -> UInt64 {
        let c: UInt8 = l > r ? 2 : (l == r ? 1 : 0)
        return UInt64(mask >> c) & 1
    }
}

/// What a record checker knows of one record while it runs conditions.
struct RecordState {
    /// Each field's parsed value (integer, day number, word index, 0/1).
    let values: UnsafeMutablePointer<Int>
    /// The plan's constants, word by word.
    let lookups: UnsafePointer<Int>
    /// Bit i: field i holds a valid value.
    var valid: UInt64 = 0
    /// Bit i: field i has a value at all.
    var given: UInt64 = 0

    @inline(__always)
    func isValid(_ field: Int) -> Bool { valid & (1 << UInt64(field)) != 0 }

    @inline(__always)
    private func validBit(_ field: Int) -> UInt64 { (valid >> UInt64(field)) & 1 }

    /// The value of one step that reads fields.
    @inline(__always)
    func leaf(_ s: Step) -> UInt64 {
        switch s.code {
        case .constant: validBit(s.a) & Step.compare(values[s.a], s.x, s.mask)
        case .fields: validBit(s.a) & validBit(s.b) & Step.compare(values[s.a], values[s.b], s.mask)
        case .isTrue: validBit(s.a) & (values[s.a] != 0 ? 1 : 0)
        case .between: validBit(s.a) & (values[s.a] >= s.x && values[s.a] <= s.y ? 1 : 0)
        case .lookup: validBit(s.a) & validBit(s.b) & Step.compare(values[s.a], lookups[s.x + values[s.b]], s.mask)
        case .given: (given >> UInt64(s.a)) & 1
        case .and, .or, .not: 0
        }
    }

    /// Runs a condition; comparisons on a field without a valid value are
    /// false. A condition of one step (most of them) is one comparison.
    @inline(__always)
    func holds(_ steps: UnsafePointer<Step>, _ count: Int) -> Bool {
        if count == 1 { return leaf(steps[0]) != 0 }
        return run(steps, count)
    }

    @inline(never)
    func run(_ steps: UnsafePointer<Step>, _ count: Int) -> Bool {
        var stack: UInt64 = 0
        for i in 0..<count {
            let s = steps[i]
            switch s.code {
            case .and:
                stack = (stack >> 2) << 1 | (stack & (stack >> 1) & 1)
            case .or:
                stack = (stack >> 2) << 1 | ((stack | (stack >> 1)) & 1)
            case .not:
                stack ^= 1
            default:
                stack = stack << 1 | leaf(s)
            }
        }
        return stack & 1 != 0
    }
}
