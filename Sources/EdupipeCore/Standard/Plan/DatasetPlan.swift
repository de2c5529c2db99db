/// A cross-field rule of a dataset: when `when` holds (or always), `check`
/// must hold, else the record has the error `code` at `column`.
public struct RuleSpec: Sendable {
    public let when: Condition?
    public let check: Condition
    public let code: IssueCode
    /// The field the error is reported at.
    public let column: Int
    public let message: MessageTemplate
}

/// A per-county count or sum over a dataset's valid records, optionally
/// split by an enumeration into one variant per word (and `all`).
public struct MeasureSpec: Sendable {
    public let name: String
    /// Records counted (or summed): all when nil.
    public let filter: Condition?
    /// The integer field summed; a count when nil.
    public let sum: Int?
    /// The enumeration field whose word picks the variant.
    public let by: Int?
    /// The words of `by`; empty when the measure is not split.
    public let variants: [String]
    /// The first of the measure's slots in the dataset's totals: one, or
    /// one per variant and one for a record whose `by` has no value.
    public let slot: Int

    public var slotCount: Int { variants.isEmpty ? 1 : variants.count + 1 }

    /// The slots a reference reads: `large.primary` one, `large.all` (or
    /// `large` on a split measure) every one.
    public func slots(variant: String?) -> Range<Int>? {
        guard let variant, variant != "all" else { return slot..<(slot + slotCount) }
        guard let i = variants.firstIndex(of: variant) else { return nil }
        return (slot + i)..<(slot + i + 1)
    }
}

/// One dataset of the plan, checked and compiled: what its files hold and
/// how each record is checked and counted. The readers run the program
/// arrays (plain values in memory of their own) with no allocation,
/// lookup or reference count per record.
///
/// `@unchecked Sendable`: nothing changes after `init`, and the program
/// memory is freed only with the plan.
public final class DatasetPlan: @unchecked Sendable {
    public let dataset: Dataset
    public let names: DisplayName
    /// What one record is (`学校` / `school`).
    public let record: DisplayName
    /// Whether a file with a header and no records is valid.
    public let mayBeEmpty: Bool
    public let fields: [FieldSpec]
    /// Fields whose values together are unique within a file.
    public let key: [Int]
    public let keyMessage: MessageTemplate?
    /// The resident-ID field matched across counties by keyed hash.
    public let link: Int?
    public let rules: [RuleSpec]
    public let measures: [MeasureSpec]
    /// Slots of the per-file totals.
    public let slotCount: Int

    // The program: plain values, read by the record checker.
    let program: UnsafeMutablePointer<FieldProgram>
    let ops: UnsafeMutablePointer<ConditionOp>
    let conditions: UnsafeMutablePointer<ConditionRef>
    let ruleRefs: UnsafeMutablePointer<RuleProgram>
    let measureRefs: UnsafeMutablePointer<MeasureProgram>
    let rangeRefs: UnsafeMutablePointer<RangeProgram>
    /// Every enumeration's words, one after another, and each word's span.
    let wordBytes: UnsafeMutablePointer<UInt8>
    let wordSpans: UnsafeMutablePointer<(start: Int, count: Int)>

    init(dataset: Dataset, names: DisplayName, record: DisplayName, mayBeEmpty: Bool, fields: [FieldSpec],
         key: [Int], keyMessage: MessageTemplate?, link: Int?, rules: [RuleSpec], measures: [MeasureSpec]) {
        self.dataset = dataset
        self.names = names
        self.record = record
        self.mayBeEmpty = mayBeEmpty
        self.fields = fields
        self.key = key
        self.keyMessage = keyMessage
        self.link = link
        self.rules = rules
        self.measures = measures
        slotCount = measures.reduce(0) { $0 + $1.slotCount }

        var allOps: [ConditionOp] = []
        var conds: [ConditionRef] = []
        func add(_ c: Condition?) -> Int32 {
            guard let c else { return -1 }
            conds.append(ConditionRef(start: allOps.count, count: c.ops.count, needs: c.needs))
            allOps += c.ops
            return Int32(conds.count - 1)
        }
        var bytes: [UInt8] = []
        var spans: [(start: Int, count: Int)] = []
        var programs: [FieldProgram] = []
        var ranges: [RangeProgram] = []
        for f in fields {
            let wordStart = spans.count
            for w in f.words {
                spans.append((bytes.count, w.utf8.count))
                bytes += w.utf8
            }
            let rangeStart = ranges.count
            for r in f.ranges { ranges.append(RangeProgram(when: add(r.when), lo: r.range.lowerBound, hi: r.range.upperBound)) }
            programs.append(FieldProgram(kind: f.kind, required: f.required, hasRange: f.range != nil,
                                         lo: f.range?.lowerBound ?? 0, hi: f.range?.upperBound ?? 0,
                                         wordStart: wordStart, wordCount: f.words.count,
                                         requiredWhen: add(f.requiredWhen), rangeStart: rangeStart, rangeCount: f.ranges.count))
        }
        var rulePrograms: [RuleProgram] = []
        for r in rules {
            let needs = r.check.needs | (r.when?.needs ?? 0)
            rulePrograms.append(RuleProgram(when: add(r.when), check: add(r.check), needs: needs))
        }
        var measurePrograms: [MeasureProgram] = []
        for m in measures {
            measurePrograms.append(MeasureProgram(filter: add(m.filter), sum: m.sum ?? -1, by: m.by ?? -1,
                                                  slot: m.slot, variants: m.variants.count))
        }
        func copy<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, a.count))
            p.initialize(from: a, count: a.count)
            return p
        }
        program = copy(programs)
        ops = copy(allOps)
        conditions = copy(conds)
        ruleRefs = copy(rulePrograms)
        measureRefs = copy(measurePrograms)
        rangeRefs = copy(ranges)
        wordBytes = copy(bytes)
        wordSpans = copy(spans)
    }

    deinit {
        program.deallocate()
        ops.deallocate()
        conditions.deallocate()
        ruleRefs.deallocate()
        measureRefs.deallocate()
        rangeRefs.deallocate()
        wordBytes.deallocate()
        wordSpans.deallocate()
    }

    /// The index of the field named by these bytes (a header cell or an
    /// XML name), if the dataset has one.
    public func index(of name: some Sequence<UInt8>) -> Int? {
        fields.firstIndex { $0.name.utf8.elementsEqual(name) }
    }

    public var requiredNames: [String] { fields.filter(\.required).map(\.name) }

    public func measure(named name: String) -> MeasureSpec? { measures.first { $0.name == name } }

    /// The ops of condition `index`.
    @inline(__always)
    func condition(_ index: Int32) -> (ops: UnsafeBufferPointer<ConditionOp>, needs: UInt64) {
        let c = conditions[Int(index)]
        return (UnsafeBufferPointer(start: ops + c.start, count: c.count), c.needs)
    }

    /// The word index of `v` among field `f`'s words.
    @inline(__always)
    func word(_ v: UnsafeRawBufferPointer, field f: FieldProgram) -> Int? {
        for i in 0..<f.wordCount {
            let span = wordSpans[f.wordStart + i]
            if span.count == v.count, let p = v.baseAddress, memcmp(p, wordBytes + span.start, span.count) == 0 { return i }
        }
        return nil
    }
}

/// A field as the record checker runs it.
struct FieldProgram {
    let kind: FieldSpec.Kind
    let required: Bool
    let hasRange: Bool
    let lo: Int
    let hi: Int
    let wordStart: Int
    let wordCount: Int
    /// Condition index, or -1.
    let requiredWhen: Int32
    let rangeStart: Int
    let rangeCount: Int
}

struct ConditionRef {
    let start: Int
    let count: Int
    let needs: UInt64
}

struct RuleProgram {
    let when: Int32
    let check: Int32
    let needs: UInt64
}

struct MeasureProgram {
    let filter: Int32
    let sum: Int
    let by: Int
    let slot: Int
    let variants: Int
}

struct RangeProgram {
    let when: Int32
    let lo: Int
    let hi: Int
}

#if canImport(Glibc)
import Glibc
#endif
