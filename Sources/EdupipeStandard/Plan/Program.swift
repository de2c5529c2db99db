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
