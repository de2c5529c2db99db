/// The plan's checks of one dataset applied to each record of one file:
/// each field parsed by its type, the field's conditional range and
/// requirement, the cross-field rules, the key, then (for a valid record)
/// the measures; with the file's running totals, key set and content digest.
///
/// A value type held in a local variable by the CSV reader loop, so the
/// compiler checks exclusive access statically instead of on every record.
/// The program it runs is plain memory of the compiled plan; the parsed
/// values and totals live in memory of the file's own (`scratch`).
struct RecordRules {
    let plan: DatasetPlan
    var dataset: Dataset { plan.dataset }
    var checker: RecordChecker
    private let scratch: Scratch
    private var state: RecordState
    /// Per-slot totals of the file's valid records.
    private let totals: UnsafeMutablePointer<Int>
    private var keys: KeyLines
    /// The linked field's values of valid records (children's IDs).
    private var linked: [UInt64] = []
    private var digest: ContentDigest
    private(set) var records = 0

    init(plan: DatasetPlan, checker: RecordChecker, digest: Bool) {
        self.plan = plan
        self.checker = checker
        scratch = Scratch(fields: plan.fields.count, slots: plan.slotCount)
        state = RecordState(values: scratch.values)
        totals = scratch.totals
        keys = KeyLines(capacity: 256)
        self.digest = ContentDigest(enabled: digest)
    }

    /// Owns the memory of the values and totals.
    private final class Scratch {
        let values: UnsafeMutablePointer<Int>
        let totals: UnsafeMutablePointer<Int>
        init(fields: Int, slots: Int) {
            values = .allocate(capacity: max(1, fields))
            values.initialize(repeating: 0, count: max(1, fields))
            totals = .allocate(capacity: max(1, slots))
            totals.initialize(repeating: 0, count: max(1, slots))
        }
        deinit {
            values.deallocate()
            totals.deallocate()
        }
    }

    mutating func check(_ v: FieldValues, line: Int) {
        records += 1
        checker.begin(line: line)
        let plan = self.plan
        let fieldCount = plan.fields.count
        state.valid = 0
        state.given = 0
        let values = state.values
        for f in 0..<fieldCount {
            let p = plan.program[f]
            let raw = v[f]
            let bit = UInt64(1) << UInt64(f)
            if raw.count > 0 { state.given |= bit }
            var parsed: Int? = Self.fast(raw, p, checker)
            if parsed == nil {
                if raw.count == 0 && !p.required && p.requiredWhen >= 0 {
                    let c = plan.condition(p.requiredWhen)
                    if state.valid & c.needs == c.needs && state.holds(c.ops), let message = plan.fields[f].requiredMessage {
                        checker.fail(.required, field: f, message, v, state)
                    }
                } else {
                    parsed = checker.slowField(f, p, v, &state)
                }
            }
            guard let n = parsed else { continue }
            if p.rangeCount > 0 {
                if let failed = rangeFailure(n, p) {
                    checker.fail(.range, field: f, plan.fields[f].ranges[failed].message, v, state, number: n,
                                 range: plan.fields[f].ranges[failed].range)
                    continue
                }
            }
            values[f] = n
            state.valid |= bit
        }

        for i in 0..<plan.rules.count {
            let rule = plan.ruleRefs[i]
            guard state.valid & rule.needs == rule.needs else { continue }
            if rule.when >= 0 && !state.holds(plan.condition(rule.when).ops) { continue }
            if !state.holds(plan.condition(rule.check).ops) {
                let spec = plan.rules[i]
                checker.fail(spec.code, field: spec.column, spec.message, v, state)
            }
        }

        if !plan.key.isEmpty { checkKey(v) }

        if digest.enabled { digestRecord(v) }

        guard checker.recordValid else { return }
        for i in 0..<plan.measures.count {
            let m = plan.measureRefs[i]
            if m.filter >= 0 && !state.holds(plan.condition(m.filter).ops) { continue }
            var slot = m.slot
            if m.by >= 0 { slot += state.isValid(m.by) ? values[m.by] : m.variants }
            let amount = m.sum < 0 ? 1 : (state.isValid(m.sum) ? values[m.sum] : 0)
            totals[slot - firstSlot] &+= amount
        }
        if let link = plan.link, state.isValid(link) { linked.append(UInt64(truncatingIfNeeded: values[link])) }
    }

    /// The first slot of this dataset among all datasets' (measures store
    /// global slots).
    private var firstSlot: Int { plan.measures.first?.slot ?? 0 }

    /// The parsed value when the field is valid in the common form; nil
    /// sends it to the checker, which reports what is wrong.
    @inline(__always)
    private static func fast(_ v: UnsafeRawBufferPointer, _ p: FieldProgram, _ c: RecordChecker) -> Int? {
        switch p.kind {
        case .integer:
            guard v.count > 0 && v.count <= 9 else { return nil }
            var n = 0
            for b in v {
                let d = b &- 0x30
                if d >= 10 { return nil }
                n = n &* 10 &+ Int(d)
            }
            return !p.hasRange || (n >= p.lo && n <= p.hi) ? n : nil
        case .countyCode:
            return c.isFileCounty(v) ? 0 : nil
        case .schoolID:
            return ValueParsers.fixedDigits(v, count: 10).map { Int(truncatingIfNeeded: $0) }
        case .enumeration:
            return c.plan.word(v, field: p)
        case .text:
            // No more bytes than allowed characters: no need to count them.
            return v.count > 0 && v.count <= p.hi && p.lo <= 1 ? v.count : nil
        case .boolean:
            return v.count > 0 ? ValueParsers.boolean(v).map { $0 ? 1 : 0 } : nil
        case .date:
            return v.count > 0 ? ValueParsers.date(v) : nil
        case .residentID:
            if v.count == 18, case .valid(let id) = ValueParsers.residentID(v) { return Int(truncatingIfNeeded: id) }
            return nil
        }
    }

    /// The conditional range that `n` breaks, if any: the first entry whose
    /// condition holds (or, without one, the first reached) decides.
    private func rangeFailure(_ n: Int, _ p: FieldProgram) -> Int? {
        for i in 0..<p.rangeCount {
            let r = plan.rangeRefs[p.rangeStart + i]
            if r.when >= 0 {
                let c = plan.condition(r.when)
                guard state.valid & c.needs == c.needs && state.holds(c.ops) else { continue }
            }
            return n >= r.lo && n <= r.hi ? nil : i
        }
        return nil
    }

    private mutating func checkKey(_ v: FieldValues) {
        var key: UInt64 = 0
        for (n, f) in plan.key.enumerated() {
            guard state.isValid(f) else { return }
            let value = UInt64(truncatingIfNeeded: state.values[f])
            if plan.fields[f].kind == .text {
                guard v[f].count > 0 else { return }
                key = KeyFingerprint.fingerprint(school: key, classID: v[f])
            } else if n == 0 && plan.key.count == 1 {
                key = value
            } else {
                key = KeyFingerprint.mix(key ^ value ^ 0x9E37_79B9_7F4A_7C15)
            }
        }
        if let first = keys.insert(key, line: checker.line), let message = plan.keyMessage {
            checker.fail(.duplicateKey, field: plan.key[plan.key.count - 1], message, v, state, first: first)
        }
    }

    /// The typed values of every field but the county (which the file name
    /// fixes), so records compare by value whatever their form.
    private mutating func digestRecord(_ v: FieldValues) {
        for f in 0..<plan.fields.count {
            let kind = plan.fields[f].kind
            let value: Int? = state.isValid(f) ? state.values[f] : nil
            switch kind {
            case .countyCode: continue
            case .text: digest.text(v[f])
            case .boolean: digest.bool(value.map { $0 != 0 })
            case .schoolID, .residentID: digest.uint(value.map { UInt64(truncatingIfNeeded: $0) })
            default: digest.int(value)
            }
        }
        digest.endRecord()
    }

    /// A record that could not be split into fields still counts as read.
    mutating func countUnreadable() { records += 1 }

    mutating func finish() -> (digest: [UInt8]?, totals: DatasetTotals) {
        let values = Array(UnsafeBufferPointer(start: totals, count: plan.slotCount))
        return (digest.finalize(), DatasetTotals(dataset: plan.dataset, values: values, linked: linked))
    }
}
