import EdupipeInput

/// The plan's checks of one dataset applied to each record of one file:
/// each field parsed by its type, the field's conditional range and
/// requirement, the cross-field rules, the key, then (for a valid record)
/// the measures; with the file's running totals, key set and content digest.
///
/// A value type held in a local variable by the CSV reader loop, so the
/// compiler checks exclusive access statically instead of on every record.
/// The program it runs is plain memory of the compiled plan (`DatasetPlan`);
/// the parsed values and totals live in memory of the file's own. The
/// common case of each field is decided inline, every message out of line.
package struct RecordRules {
    let plan: DatasetPlan
    var dataset: Dataset { plan.dataset }
    package var checker: RecordChecker
    private let scratch: Scratch
    private var state: RecordState
    /// Per-slot totals of the file's valid records.
    private let totals: UnsafeMutablePointer<Int>
    /// The file's county as six bytes loaded into one number.
    private let countyBytes: UInt64
    // The plan's program, reached without touching the plan object: a
    // class reference used per record costs a retain and a release.
    private let program: UnsafeMutablePointer<FieldProgram>
    private let steps: UnsafeMutablePointer<Step>
    private let conditions: UnsafeMutablePointer<ConditionRef>
    private let measures: UnsafeMutablePointer<MeasureProgram>
    private let rules: UnsafeMutablePointer<RuleProgram>
    private let fieldCount: Int
    private let ruleCount: Int
    private let measureCount: Int
    private let firstSlot: Int
    private let keyCount: Int
    private let link: Int
    private let wordSpans: UnsafeMutablePointer<WordKey>
    private let wordBytes: UnsafeMutablePointer<UInt8>
    private let rangeTable: UnsafeMutablePointer<Int32>
    private let ranges: UnsafeMutablePointer<RangeProgram>
    private let keyFields: UnsafeMutablePointer<(field: Int, text: Bool)>
    private let histogram: UnsafeMutablePointer<Int>
    private let histogramFields: [(field: Int, low: Int, count: Int)]
    private var keys: KeyLines
    /// The linked field's values of valid records (children's IDs).
    private var linked: [UInt64] = []
    private var digest: ContentDigest
    private(set) var records = 0
    /// Bytes of content read, after decompression (set by the reader).
    var contentBytes = 0

    /// `checksKeys: false` leaves the key unchecked (`edupipe synth`, which
    /// redraws a rejected record with the same key and keeps keys unique itself).
    package init(plan: DatasetPlan, checker: RecordChecker, digest: Bool, checksKeys: Bool = true) {
        self.plan = plan
        self.checker = checker
        scratch = Scratch(fields: plan.fields.count, slots: plan.slotCount, cells: plan.histogramSize)
        histogram = scratch.histogram
        histogramFields = plan.histogram
        state = RecordState(values: scratch.values, lookups: UnsafePointer(plan.lookups))
        totals = scratch.totals
        countyBytes = checker.fileCountyBytes
        program = plan.program
        steps = plan.ops
        conditions = plan.conditions
        measures = plan.measureRefs
        rules = plan.ruleRefs
        fieldCount = plan.fieldCount
        ruleCount = plan.ruleCount
        measureCount = plan.measureCount
        firstSlot = plan.firstSlot
        keyCount = checksKeys ? plan.keyCount : 0
        link = plan.link ?? -1
        wordSpans = plan.wordSpans
        wordBytes = plan.wordBytes
        rangeTable = plan.rangeTableRefs
        ranges = plan.rangeRefs
        keyFields = plan.keyFields
        // A county's class file has about 1,500 keys: starting at 4,096
        // slots spares the four rehashes of growing from a few hundred (the
        // table allocates on its first insert only).
        keys = KeyLines(capacity: 4096)
        self.digest = ContentDigest(enabled: digest)
    }

    /// Owns the memory of the values, totals and histogram.
    private final class Scratch {
        let values: UnsafeMutablePointer<Int>
        let totals: UnsafeMutablePointer<Int>
        let histogram: UnsafeMutablePointer<Int>
        init(fields: Int, slots: Int, cells: Int) {
            values = .allocate(capacity: max(1, fields))
            values.initialize(repeating: 0, count: max(1, fields))
            totals = .allocate(capacity: max(1, slots))
            totals.initialize(repeating: 0, count: max(1, slots))
            histogram = .allocate(capacity: max(1, cells))
            histogram.initialize(repeating: 0, count: max(1, cells))
        }
        deinit {
            values.deallocate()
            totals.deallocate()
            histogram.deallocate()
        }
    }

    /// Checks one record. `twice` and `markup` (XML only, one bit per
    /// field) are the fields given more than once and those whose element
    /// holds an element: each is `E_TYPE` at its own place among the
    /// record's fields, not before the fields that come ahead of it.
    package mutating func check(_ v: FieldValues, line: Int, twice: UInt64 = 0, markup: UInt64 = 0) {
        records += 1
        let malformed = twice | markup
        checker.begin(line: line)
        let values = state.values
        // The record's bits stay in registers while the fields are read:
        // they are written to `state` before any call out of line (which
        // may read them), and once the last field is read.
        var valid: UInt64 = 0
        var given: UInt64 = 0
        for f in 0..<fieldCount {
            let p = program + f
            let raw = v[f]
            let bit = UInt64(1) &<< UInt64(f)
            if raw.count > 0 { given |= bit }
            if _slowPath(malformed != 0) && malformed & bit != 0 {
                checker.malformed(field: f, twice: twice & bit != 0)
                continue
            }
            // The common form of each type, inline; anything else (and
            // every message) in the checker.
            var n = 0
            var ok = false
            switch p.pointee.kind {
            case .integer:
                if raw.count > 0 && raw.count <= 9 {
                    ok = true
                    for b in raw {
                        let d = b &- 0x30
                        if d >= 10 { ok = false; break }
                        n = n &* 10 &+ Int(d)
                    }
                    if ok && p.pointee.hasRange { ok = n >= p.pointee.lo && n <= p.pointee.hi }
                }
            case .countyCode:
                ok = ValueParsers.sixBytes(raw) == countyBytes
            case .schoolID:
                if let id = ValueParsers.fixedDigits(raw, count: 10) { n = Int(truncatingIfNeeded: id); ok = true }
            case .enumeration:
                if let w = DatasetPlan.word(raw, p, wordSpans, wordBytes) { n = w; ok = true }
            case .text:
                // No more bytes than allowed characters: no need to count them.
                if raw.count > 0 && raw.count <= p.pointee.hi && p.pointee.lo <= 1 { n = raw.count; ok = true }
            case .boolean:
                if let b = ValueParsers.boolean(raw) { n = b ? 1 : 0; ok = true }
            case .date:
                if let d = ValueParsers.date(raw) { n = d; ok = true }
            case .residentID:
                if raw.count == 18, case .valid(let id) = ValueParsers.residentID(raw) { n = Int(truncatingIfNeeded: id); ok = true }
            }
            if !ok {
                state.valid = valid
                state.given = given
                if raw.count == 0 && !p.pointee.required && p.pointee.requiredWhen >= 0 {
                    requiredWhen(f, p.pointee, v)
                    continue
                }
                guard let parsed = checker.slowField(f, p.pointee, v, &state) else { continue }
                n = parsed
            }
            if p.pointee.rangeCount > 0 {
                let failed: Int?
                if p.pointee.rangeField >= 0 {
                    // Ranges by one enumeration's word (grade by stage): a
                    // table lookup, inline.
                    let g = p.pointee.rangeField
                    let word = (valid &>> UInt64(g)) & 1 != 0 ? values[g] : program[g].wordCount
                    let entry = Int(rangeTable[p.pointee.rangeTable &+ word])
                    if entry < 0 {
                        failed = nil
                    } else {
                        let r = ranges + (p.pointee.rangeStart &+ entry)
                        failed = n >= r.pointee.lo && n <= r.pointee.hi ? nil : entry
                    }
                } else {
                    state.valid = valid
                    state.given = given
                    failed = rangeFailure(n, p)
                }
                if let failed {
                    state.valid = valid
                    state.given = given
                    rangeFailed(f, failed, n, v)
                    continue
                }
            }
            values[f] = n
            valid |= bit
        }
        state.valid = valid
        state.given = given

        for i in 0..<ruleCount {
            let rule = rules[i]
            guard state.valid & rule.needs == rule.needs else { continue }
            if rule.when >= 0 && !holds(rule.when) { continue }
            if !holds(rule.check) { ruleFailed(i, v) }
        }

        if keyCount > 0 { checkKey(v) }

        if digest.enabled { digestRecord(v) }

        guard checker.recordValid else { return }
        if link >= 0 && state.isValid(link) { linked.append(UInt64(truncatingIfNeeded: values[link])) }
        if !histogramFields.isEmpty {
            // The fields the measures read pick one cell: the measures run
            // once per filled cell when the file ends.
            var cell = 0
            var inRange = true
            histogramFields.withUnsafeBufferPointer { dims in
                for d in dims {
                    let digit = state.isValid(d.field) ? values[d.field] &- d.low : d.count &- 1
                    // The plan's ranges bound every valid value; a value
                    // outside them all is counted the slow way, never
                    // written outside the histogram.
                    if digit < 0 || digit >= d.count { inRange = false }
                    cell = cell &* d.count &+ digit
                }
            }
            if inRange {
                histogram[cell] &+= 1
                return
            }
        }
        measure(count: 1)
    }

    /// Adds the current record's values to the measures, `count` times.
    private mutating func measure(count: Int) {
        let values = state.values
        let valid = state.valid
        let lookups = state.lookups
        for i in 0..<measureCount {
            let m = measures + i
            if m.pointee.filter >= 0 {
                var holds: UInt64
                if let s = m.pointee.step {
                    // One-step filters (nearly all) are judged here, branch-free.
                    let a = s.a
                    let va = (valid &>> UInt64(a)) & 1
                    switch s.code {
                    case .constant: holds = va & Step.compare(values[a], s.x, s.mask)
                    case .between: holds = va & (values[a] >= s.x && values[a] <= s.y ? 1 : 0)
                    case .lookup:
                        holds = va & (valid &>> UInt64(s.b)) & 1 & Step.compare(values[a], lookups[s.x &+ values[s.b]], s.mask)
                    case .isTrue: holds = va & (values[a] != 0 ? 1 : 0)
                    default: holds = state.leaf(s)
                    }
                } else {
                    let c = conditions[Int(m.pointee.filter)]
                    holds = state.run(steps + c.start, c.count) ? 1 : 0
                }
                if holds == 0 { continue }
            }
            let by = m.pointee.by
            var slot = m.pointee.slot
            if by >= 0 { slot &+= (valid &>> UInt64(by)) & 1 != 0 ? values[by] : m.pointee.variants }
            let sum = m.pointee.sum
            totals[slot] &+= sum < 0 ? count : ((valid &>> UInt64(sum)) & 1 != 0 ? values[sum] &* count : 0)
        }
    }

    /// Runs the measures once per filled cell of the histogram, with the
    /// cell's field values and its count.
    private mutating func measureHistogram() {
        let dims = histogramFields
        guard !dims.isEmpty else { return }
        let cells = dims.reduce(1) { $0 * $1.count }
        for cell in 0..<cells where histogram[cell] > 0 {
            var rest = cell
            state.valid = 0
            for d in dims.reversed() {
                let digit = rest % d.count
                rest /= d.count
                if digit != d.count - 1 {
                    state.values[d.field] = d.low + digit
                    state.valid |= 1 << UInt64(d.field)
                }
            }
            state.given = state.valid
            measure(count: histogram[cell])
        }
    }

    /// An optional field left empty that the record needs after all.
    @inline(never)
    private mutating func requiredWhen(_ f: Int, _ p: FieldProgram, _ v: FieldValues) {
        let c = plan.condition(p.requiredWhen)
        if state.valid & c.needs == c.needs && state.holds(c.steps, c.count), let message = plan.fields[f].requiredMessage {
            checker.fail(.required, field: f, message, v, state)
        }
    }

    @inline(never)
    private mutating func rangeFailed(_ f: Int, _ failed: Int, _ n: Int, _ v: FieldValues) {
        let range = plan.fields[f].ranges[failed]
        checker.fail(.range, field: f, range.message, v, state, number: n, range: range.range)
    }

    @inline(never)
    private mutating func ruleFailed(_ i: Int, _ v: FieldValues) {
        let spec = plan.rules[i]
        checker.fail(spec.code, field: spec.column, spec.message, v, state)
    }

    /// Whether condition `condition` holds for the record. `mutating` though
    /// it changes nothing, as are the other helpers of `check`: a
    /// non-mutating method called from a mutating one gets a copy of
    /// `self`, a memcpy of the whole struct per call.
    @inline(__always)
    private mutating func holds(_ condition: Int32) -> Bool {
        let c = conditions + Int(condition)
        return state.holds(steps + c.pointee.start, c.pointee.count)
    }

    /// The conditional range that `n` breaks, if any: the first entry whose
    /// condition holds (or, without one, the first reached) decides. Ranges
    /// picked by one enumeration's word are looked up in `check` instead.
    @inline(never)
    private mutating func rangeFailure(_ n: Int, _ field: UnsafeMutablePointer<FieldProgram>) -> Int? {
        let p = field.pointee
        for i in 0..<p.rangeCount {
            let r = ranges[p.rangeStart + i]
            if r.when >= 0 {
                let c = plan.condition(r.when)
                guard state.valid & c.needs == c.needs && state.holds(c.steps, c.count) else { continue }
            }
            return n >= r.lo && n <= r.hi ? nil : i
        }
        return nil
    }

    /// Records the key (one number, or a fingerprint of several values) and
    /// reports a repeat with the line of its first record.
    @inline(__always)
    private mutating func checkKey(_ v: FieldValues) {
        let first = keyFields[0]
        guard state.isValid(first.field) else { return }
        var key = UInt64(truncatingIfNeeded: state.values[first.field])
        if first.text { key = KeyFingerprint.fingerprint(school: 0, classID: v[first.field]) }
        for k in 1..<max(1, keyCount) {
            let f = keyFields[k]
            guard state.isValid(f.field) else { return }
            if f.text {
                key = KeyFingerprint.fingerprint(school: key, classID: v[f.field])
            } else {
                key = KeyFingerprint.mix(key ^ UInt64(truncatingIfNeeded: state.values[f.field]) ^ 0x9E37_79B9_7F4A_7C15)
            }
        }
        if let line = keys.insert(key, line: checker.line) { keyRepeated(v, first: line) }
    }

    @inline(never)
    private mutating func keyRepeated(_ v: FieldValues, first: Int) {
        guard let message = plan.keyMessage else { return }
        checker.fail(.duplicateKey, field: plan.key[plan.key.count - 1], message, v, state, first: first)
    }

    /// The typed values of every field but the county (which the file name
    /// fixes), so records compare by value whatever their form.
    private mutating func digestRecord(_ v: FieldValues) {
        for f in 0..<plan.fieldCount {
            let value: Int? = state.isValid(f) ? state.values[f] : nil
            switch plan.program[f].kind {
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
        measureHistogram()
        let values = Array(UnsafeBufferPointer(start: totals, count: plan.slotCount))
        return (digest.finalize(), DatasetTotals(dataset: plan.dataset, values: values, linked: linked))
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
