extension Condition {
    /// A value as conditions compare it: integers, booleans and dates read
    /// by the checker's own parsers (`ValueParsers`), a word as its index;
    /// nil when empty or not of the field's type, or for the types that
    /// conditions only test for presence.
    package static func number(_ value: String, of spec: FieldSpec) -> Int? {
        guard !value.isEmpty else { return nil }
        switch spec.kind {
        case .integer: return ValueParsers.integer(value)
        case .boolean: return ValueParsers.boolean(value).map { $0 ? 1 : 0 }
        case .date: return ValueParsers.date(value)
        case .enumeration: return spec.words.firstIndex(of: value)
        case .countyCode, .schoolID, .residentID, .text: return nil
        }
    }

    /// Whether the condition holds for a record known as numbers: integers,
    /// booleans as 0 or 1, an enumeration's word as its index, a date as
    /// YYYYMMDD; nil for a field without such a value. `given` says which
    /// fields have any value. As for rules, a condition that needs a value
    /// it lacks does not hold. Used by `edupipe synth`, which draws records
    /// field by field; the checker runs the compiled twin (`Program`).
    package func holds(numbers: [Int?], given: [Bool], constants: [ConstantSpec]) -> Bool {
        for f in 0..<numbers.count where needs & (1 << UInt64(f)) != 0 && numbers[f] == nil { return false }
        func compare(_ a: Int, _ c: ConditionOp.Comparison, _ b: Int) -> Bool {
            switch c {
            case .eq: a == b
            case .ne: a != b
            case .lt: a < b
            case .le: a <= b
            case .gt: a > b
            case .ge: a >= b
            }
        }
        var stack: [Bool] = []
        for op in ops {
            switch op {
            case .constant(let f, let c, let n): stack.append(numbers[f].map { compare($0, c, n) } ?? false)
            case .fields(let f, let c, let g):
                if let a = numbers[f], let b = numbers[g] { stack.append(compare(a, c, b)) } else { stack.append(false) }
            case .isTrue(let f): stack.append(numbers[f] == 1)
            case .between(let f, let lo, let hi): stack.append(numbers[f].map { $0 >= lo && $0 <= hi } ?? false)
            case .lookup(let f, let c, let k):
                let constant = constants[k]
                if let a = numbers[f], let w = numbers[constant.field], constant.values.indices.contains(w) {
                    stack.append(compare(a, c, constant.values[w]))
                } else {
                    stack.append(false)
                }
            case .given(let f): stack.append(given[f])
            case .and, .or:
                guard let b = stack.popLast(), let a = stack.popLast() else { return false }
                if case .and = op { stack.append(a && b) } else { stack.append(a || b) }
            case .not:
                guard let a = stack.popLast() else { return false }
                stack.append(!a)
            }
        }
        return stack.last ?? false
    }
}
