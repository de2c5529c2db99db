import EdupipeSupport
import EdupipeInput

/// Checks the values of one record field by field and says, in plain words,
/// what is wrong and what would be right. Holds the file's issue log; the
/// record rules call it in the order of the dataset's fields.
///
/// The common case of each type is inline (a few digits in range, the
/// file's county, ten digits); anything else, and every message, is out of
/// line, where the plan's messages are filled in.
package struct RecordChecker {
    var log: IssueLog
    /// The county of the file name, which every `county_code` must equal.
    let fileCounty: String
    let plan: DatasetPlan
    let messages: TypeMessages
    let language: Language
    /// The line of the record being checked.
    var line = 0
    /// False once any error was reported for the current record.
    package var recordValid = true

    /// `fileCounty` as a number, compared with each record's code.
    private let fileCountyNumber: UInt64?
    /// The six ASCII bytes of `fileCounty`, loaded as one number.
    let fileCountyBytes: UInt64

    package init(log: IssueLog, fileCounty: String, plan: DatasetPlan, messages: TypeMessages, language: Language) {
        self.log = log
        self.fileCounty = fileCounty
        self.plan = plan
        self.messages = messages
        self.language = language
        fileCountyNumber = UInt64(fileCounty)
        fileCountyBytes = ValueParsers.sixBytes(Array(fileCounty.utf8)) ?? .max
    }

    mutating func begin(line: Int) {
        self.line = line
        recordValid = true
    }

    /// Reports an error at field `column` of the record in `values`, with
    /// the message's placeholders filled from the record.
    @inline(never)
    mutating func fail(_ code: IssueCode, field: Int, _ template: MessageTemplate, _ values: FieldValues,
                       _ state: RecordState, number: Int? = nil, first: Int? = nil, length: Int? = nil,
                       range: ClosedRange<Int>? = nil, fixed: String? = nil) {
        recordValid = false
        let spec = plan.fields[field]
        let v = values[field]
        let text = template.render(language) { part in
            switch part {
            case .literal(let s): return s
            case .field(let i): return Self.shown(field: plan.fields[i], values, state, index: i)
            case .special(let s):
                switch s {
                case .field: return spec.name
                case .value: return Self.show(Bytes.string(v))
                case .raw: return spec.kind == .residentID ? ValueParsers.maskedID(v) : Bytes.string(v)
                case .masked: return ValueParsers.maskedID(v)
                case .first: return first.map(String.init) ?? ""
                case .county: return fileCounty
                case .words: return spec.words.joined(separator: ", ")
                case .min: return String((range ?? spec.range)?.lowerBound ?? 0)
                case .max: return String((range ?? spec.range)?.upperBound ?? 0)
                case .length: return String(length ?? Bytes.codePointCount(v))
                case .number:
                    guard let number else { return Self.show(Bytes.string(v)) }
                    return number >= ValueParsers.integerCeiling ? Self.show(Bytes.string(v)) : String(number)
                case .what: return spec.kind.word
                case .fixed: return fixed ?? ""
                case .column, .dataset, .columns, .count, .width, .line, .limit, .file, .datasets, .why, .expected, .given: return ""
                }
            }
        }
        log.add(Issue(code, line: line, column: spec.name, text))
    }

    /// A field given twice in an XML record, or whose element holds an
    /// element: `E_TYPE`, in the plan's words.
    @inline(never)
    mutating func malformed(field: Int, twice: Bool) {
        recordValid = false
        let name = plan.fields[field].name
        log.add(Issue(.type, line: line, column: name,
                      messages.say(twice ? "file.field_twice" : "file.field_markup", language, [.column: name])))
    }

    /// A field's value as a message shows it: integers as numbers, resident
    /// IDs masked, anything else as written.
    static func shown(field: FieldSpec, _ values: FieldValues, _ state: RecordState, index: Int) -> String {
        switch field.kind {
        case .integer where state.isValid(index): String(state.values[index])
        case .residentID: ValueParsers.maskedID(values[index])
        default: Bytes.string(values[index])
        }
    }

    /// A value quoted for a message: at most 40 characters, never a control byte.
    /// Masked before it is cut (`ShownText`): no cut leaves most of an ID.
    static func show(_ text: String) -> String {
        ShownText.quoted(text)
    }

    /// Checks a value the fast path did not accept; returns its parsed
    /// form, or nil after reporting why it is not valid.
    @inline(never)
    mutating func slowField(_ f: Int, _ p: FieldProgram, _ values: FieldValues, _ state: inout RecordState) -> Int? {
        let v = values[f]
        if v.count == 0 {
            if p.required { fail(.required, field: f, messages.required[p.kind]!, values, state) }
            return nil
        }
        switch p.kind {
        case .countyCode:
            guard let code = ValueParsers.fixedDigits(v, count: 6) else {
                fail(.type, field: f, messages.invalid[.countyCode]!, values, state)
                return nil
            }
            guard code == fileCountyNumber else {
                fail(.countyMismatch, field: f, messages.countyMismatch, values, state)
                return nil
            }
            return Int(code)
        case .schoolID:
            guard let id = ValueParsers.fixedDigits(v, count: 10) else {
                if spreadsheetArtifact(f, values, state) { return nil }
                fail(.type, field: f, messages.invalid[.schoolID]!, values, state)
                return nil
            }
            return Int(truncatingIfNeeded: id)
        case .residentID:
            switch ValueParsers.residentID(v) {
            case .valid(let id): return Int(truncatingIfNeeded: id)
            case .malformed:
                if !spreadsheetArtifact(f, values, state) { fail(.type, field: f, messages.invalid[.residentID]!, values, state) }
            case .impossibleBirthDate: fail(.type, field: f, messages.birthDate, values, state)
            case .wrongCheck: fail(.checksum, field: f, messages.checksum, values, state)
            }
            return nil
        case .integer:
            guard let n = ValueParsers.integer(v) else {
                if spreadsheetArtifact(f, values, state) { return nil }
                fail(.type, field: f, messages.invalid[.integer]!, values, state)
                return nil
            }
            if p.hasRange && !(p.lo...p.hi).contains(n) {
                fail(.range, field: f, messages.range, values, state, number: n)
                return nil
            }
            return n
        case .boolean:
            guard let b = ValueParsers.boolean(v) else {
                fail(.type, field: f, messages.invalid[.boolean]!, values, state)
                return nil
            }
            return b ? 1 : 0
        case .date:
            guard let d = ValueParsers.date(v) else {
                if spreadsheetArtifact(f, values, state) { return nil }
                fail(.type, field: f, messages.invalid[.date]!, values, state)
                return nil
            }
            return d
        case .enumeration:
            guard let w = plan.word(v, field: p) else {
                fail(.enumeration, field: f, messages.invalid[.enumeration]!, values, state)
                return nil
            }
            return w
        case .text:
            let n = Bytes.codePointCount(v)
            if n > p.hi {
                fail(.range, field: f, messages.tooLong, values, state, length: n)
                return nil
            }
            if n < p.lo {
                fail(.range, field: f, messages.tooShort, values, state, length: n)
                return nil
            }
            return n
        }
    }

    /// Reports what a spreadsheet did to a value, when that is what
    /// happened: an ID shown in scientific notation (a number column in
    /// Excel), a code with `.0`, a date as its serial number, full-width
    /// digits. Returns whether it reported.
    mutating func spreadsheetArtifact(_ f: Int, _ values: FieldValues, _ state: RecordState) -> Bool {
        guard let artifact = SpreadsheetArtifact(Array(values[f]), kind: plan.fields[f].kind) else { return false }
        let template: MessageTemplate
        switch artifact {
        case .scientific: template = messages.scientific
        case .decimal: template = messages.decimal
        case .serialDate: template = messages.serialDate
        case .fullWidth: template = messages.fullWidth
        }
        fail(.type, field: f, template, values, state, fixed: artifact.fixed)
        return true
    }
}
