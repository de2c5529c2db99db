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
