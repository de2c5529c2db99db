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
    /// Each field's name as bytes, for the header's columns: compared as
    /// bytes, not through `String.UTF8View` (a thousand instructions a
    /// column, eight columns a file).
    private let fieldNames: FieldNames
    /// Fields whose values together are unique within a file.
    public let key: [Int]
    public let keyMessage: MessageTemplate?
    /// The resident-ID field matched across counties by keyed hash.
    public let link: Int?
    public let rules: [RuleSpec]
    public let measures: [MeasureSpec]
    public let constants: [ConstantSpec]
    /// Slots of the per-file totals.
    public let slotCount: Int
    /// Counts of the program arrays, read per record without touching the
    /// Swift arrays (whose elements hold strings).
    let fieldCount: Int
    let ruleCount: Int
    let measureCount: Int
    /// The first slot of this dataset among all datasets'.
    let firstSlot: Int
    /// The key's fields and whether each is text.
    let keyFields: UnsafeMutablePointer<(field: Int, text: Bool)>
    let keyCount: Int
    /// When every field the measures read has few values (words, yes/no,
    /// a small range), a valid record only bumps one cell of a histogram
    /// over those fields, and the measures run once per filled cell when
    /// the file ends: the fields, the lowest value of each, the number of
    /// values (the last one meaning "no value"), in stride order.
    let histogram: [(field: Int, low: Int, count: Int)]
    /// Cells of the histogram; 0 when the measures run per record.
    let histogramSize: Int

    /// Per field with a range table: the entry index per word, then for no word.
    let rangeTableRefs: UnsafeMutablePointer<Int32>
    /// Every constant's values, word by word.
    let lookups: UnsafeMutablePointer<Int>

    // The program: plain values, read by the record checker.
    let program: UnsafeMutablePointer<FieldProgram>
    let ops: UnsafeMutablePointer<Step>
    let conditions: UnsafeMutablePointer<ConditionRef>
    let ruleRefs: UnsafeMutablePointer<RuleProgram>
    let measureRefs: UnsafeMutablePointer<MeasureProgram>
    let rangeRefs: UnsafeMutablePointer<RangeProgram>
    /// Every enumeration's words, one after another, and each word's span.
    let wordBytes: UnsafeMutablePointer<UInt8>
    let wordSpans: UnsafeMutablePointer<WordKey>

    init(dataset: Dataset, names: DisplayName, record: DisplayName, mayBeEmpty: Bool, fields: [FieldSpec],
         key: [Int], keyMessage: MessageTemplate?, link: Int?, constants: [ConstantSpec] = [], rules: [RuleSpec],
         measures: [MeasureSpec]) {
        self.constants = constants
        self.dataset = dataset
        self.names = names
        self.record = record
        self.mayBeEmpty = mayBeEmpty
        self.fields = fields
        fieldNames = FieldNames(fields.map(\.name))
        self.key = key
        self.keyMessage = keyMessage
        self.link = link
        self.rules = rules
        self.measures = measures
        slotCount = measures.reduce(0) { $0 + $1.slotCount }
        fieldCount = fields.count
        ruleCount = rules.count
        measureCount = measures.count
        firstSlot = measures.first?.slot ?? 0
        keyCount = key.count

        var allOps: [Step] = []
        var lookupValues: [Int] = []
        var constantStarts: [(field: Int, start: Int)] = []
        for c in constants {
            constantStarts.append((c.field, lookupValues.count))
            lookupValues += c.values
        }
        var conds: [ConditionRef] = []
        func add(_ c: Condition?) -> Int32 {
            guard let c else { return -1 }
            let ops = Self.peephole(c.ops)
            conds.append(ConditionRef(start: allOps.count, count: ops.count, needs: c.needs))
            allOps += ops.map { Step($0, constants: constantStarts) }
            return Int32(conds.count - 1)
        }
        var bytes: [UInt8] = []
        var spans: [WordKey] = []
        var programs: [FieldProgram] = []
        var ranges: [RangeProgram] = []
        var rangeTable: [Int32] = []
        for f in fields {
            let wordStart = spans.count
            for w in f.words {
                spans.append(WordKey(start: bytes.count, Array(w.utf8)))
                bytes += w.utf8
            }
            let rangeStart = ranges.count
            for r in f.ranges { ranges.append(RangeProgram(when: add(r.when), lo: r.range.lowerBound, hi: r.range.upperBound)) }
            // Ranges chosen by one enumeration's word (grade by stage) are a
            // table: the entry of each word, and of no valid word.
            var rangeField = -1
            var tableStart = 0
            if let (g, table) = Self.rangeTable(f.ranges, fields) {
                rangeField = g
                tableStart = rangeTable.count
                rangeTable += table
            }
            programs.append(FieldProgram(kind: f.kind, required: f.required, hasRange: f.range != nil,
                                         lo: f.range?.lowerBound ?? 0, hi: f.range?.upperBound ?? 0,
                                         wordStart: wordStart, wordCount: f.words.count,
                                         requiredWhen: add(f.requiredWhen), rangeStart: rangeStart, rangeCount: f.ranges.count,
                                         rangeField: rangeField, rangeTable: tableStart))
        }
        var rulePrograms: [RuleProgram] = []
        for r in rules {
            let needs = r.check.needs | (r.when?.needs ?? 0)
            rulePrograms.append(RuleProgram(when: add(r.when), check: add(r.check), needs: needs))
        }
        var measurePrograms: [MeasureProgram] = []
        for m in measures {
            let filter = add(m.filter)
            let single = filter >= 0 && conds[Int(filter)].count == 1 ? allOps[conds[Int(filter)].start] : nil
            measurePrograms.append(MeasureProgram(filter: filter, step: single, sum: m.sum ?? -1, by: m.by ?? -1,
                                                  slot: m.slot - (measures.first?.slot ?? 0), variants: m.variants.count))
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
        keyFields = copy(key.map { ($0, fields[$0].kind == .text) })
        rangeTableRefs = copy(rangeTable)
        lookups = copy(lookupValues)
        (histogram, histogramSize) = Self.histogram(fields: fields, measures: measures, constants: constants)
    }

    /// The histogram over the fields the measures read, if it is small.
    static func histogram(fields: [FieldSpec], measures: [MeasureSpec], constants: [ConstantSpec])
        -> ([(field: Int, low: Int, count: Int)], Int) {
        var read: [Int] = []
        func note(_ f: Int) { if !read.contains(f) { read.append(f) } }
        for m in measures {
            m.filter?.fields.forEach(note)
            if let f = m.by { note(f) }
            if let f = m.sum { note(f) }
        }
        var cells = 1
        var dims: [(field: Int, low: Int, count: Int)] = []
        for f in read.sorted() {
            let spec = fields[f]
            let values: ClosedRange<Int>
            switch spec.kind {
            case .enumeration: values = 0...(spec.words.count - 1)
            case .boolean: values = 0...1
            case .integer:
                let ranges = (spec.range.map { [$0] } ?? []) + spec.ranges.map(\.range)
                // Without a range of its own, every conditional range must
                // be one that applies (a range with no condition) to bound it.
                guard let low = ranges.map(\.lowerBound).min(), let high = ranges.map(\.upperBound).max(),
                      spec.range != nil || spec.ranges.contains(where: { $0.when == nil }) else { return ([], 0) }
                values = low...high
            default: return ([], 0)
            }
            let count = values.count + 1
            guard cells <= 16384 / count else { return ([], 0) }
            cells *= count
            dims.append((f, values.lowerBound, count))
        }
        return measures.isEmpty ? ([], 0) : (dims, cells)
    }

    /// The table of ranges that each depend on one enumeration field being
    /// one word (the last may have no condition: it applies otherwise):
    /// per word and for no valid word, the index of the entry that applies,
    /// or -1 for none.
    static func rangeTable(_ ranges: [FieldSpec.ConditionalRange], _ fields: [FieldSpec]) -> (Int, [Int32])? {
        var field = -1
        var byWord: [Int: Int] = [:]
        var otherwise = -1
        for (i, r) in ranges.enumerated() {
            guard let when = r.when else {
                if otherwise < 0 { otherwise = i }
                continue
            }
            guard otherwise < 0, when.ops.count == 1, case .constant(let g, .eq, let w) = when.ops[0],
                  field < 0 || field == g else { return nil }
            field = g
            if byWord[w] == nil { byWord[w] = i }
        }
        guard field >= 0 else { return nil }
        let words = fields[field].words.count
        return (field, (0...words).map { Int32(byWord[$0] ?? otherwise) })
    }

    deinit {
        fieldNames.deallocate()
        program.deallocate()
        ops.deallocate()
        conditions.deallocate()
        ruleRefs.deallocate()
        measureRefs.deallocate()
        rangeRefs.deallocate()
        wordBytes.deallocate()
        wordSpans.deallocate()
        keyFields.deallocate()
        rangeTableRefs.deallocate()
        lookups.deallocate()
    }

    /// The index of the field named by these bytes (a header cell or an
    /// XML name), if the dataset has one.
    public func index(of name: UnsafeRawBufferPointer) -> Int? {
        // From the first field on: the first field with that name.
        var last = -1
        return fieldNames.index(of: name, after: &last)
    }

    public var requiredNames: [String] { fields.filter(\.required).map(\.name) }

    public func measure(named name: String) -> MeasureSpec? { measures.first { $0.name == name } }

    /// The steps of condition `index`, their count, and the fields they need.
    @inline(__always)
    func condition(_ index: Int32) -> (steps: UnsafePointer<Step>, count: Int, needs: UInt64) {
        let c = conditions[Int(index)]
        return (UnsafePointer(ops + c.start), c.count, c.needs)
    }

    /// The word index of `v` among field `f`'s words.
    func word(_ v: UnsafeRawBufferPointer, field f: FieldProgram) -> Int? {
        withUnsafePointer(to: f) { Self.word(v, $0, wordSpans, wordBytes) }
    }

    @inline(__always)
    static func word(_ v: UnsafeRawBufferPointer, _ field: UnsafePointer<FieldProgram>, _ wordSpans: UnsafeMutablePointer<WordKey>,
                     _ wordBytes: UnsafeMutablePointer<UInt8>) -> Int? {
        let f = field.pointee
        guard let p = v.baseAddress else { return nil }
        let n = v.count
        if n >= 4 && n <= 8 {
            // Two overlapping loads cover the value: compared with each
            // word's loaded at the plan's compile.
            let head = p.loadUnaligned(as: UInt32.self)
            let tail = p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            for i in 0..<f.wordCount {
                let w = wordSpans[f.wordStart + i]
                if w.count == n && w.head == head && w.tail == tail { return i }
            }
            return nil
        }
        for i in 0..<f.wordCount {
            let w = wordSpans[f.wordStart + i]
            if w.count == n && memcmp(p, wordBytes + w.start, n) == 0 { return i }
        }
        return nil
    }

    /// `f >= a and f <= b` becomes one step.
    static func peephole(_ ops: [ConditionOp]) -> [ConditionOp] {
        var out: [ConditionOp] = []
        for op in ops {
            if case .and = op, out.count >= 2,
               case .constant(let f1, .ge, let lo) = out[out.count - 2], case .constant(let f2, .le, let hi) = out[out.count - 1],
               f1 == f2 {
                out.removeLast(2)
                out.append(.between(field: f1, lo, hi))
                continue
            }
            out.append(op)
        }
        return out
    }
}

/// A word of an enumeration as the matcher compares it.
struct WordKey {
    let start: Int
    let count: Int
    /// The first and last four bytes (words of 4 to 8 bytes).
    let head: UInt32
    let tail: UInt32

    init(start: Int, _ bytes: [UInt8]) {
        self.start = start
        count = bytes.count
        if bytes.count >= 4 {
            head = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            tail = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self) }
        } else {
            head = 0
            tail = 0
        }
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
    /// The enumeration field whose word picks the range, or -1.
    let rangeField: Int
    let rangeTable: Int
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

/// A measure as the record checker runs it: a filter of one step is
/// carried in place (`step`), a longer one by its condition index.
struct MeasureProgram {
    let filter: Int32
    /// The filter's only step, when it has one step; `code` is nil otherwise.
    let step: Step?
    /// The integer field summed, or -1 for a count.
    let sum: Int
    /// The enumeration field that picks the variant, or -1.
    let by: Int
    /// The first slot, counted from the dataset's first.
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
import EdupipeInput
