/// Checks the values of one record field by field and says, in plain words,
/// what is wrong and what would be right. Holds the file's issue log; the
/// dataset rules call it in the order of section 3.
struct RecordChecker {
    var log: IssueLog
    /// The county of the file name, which every `county_code` must equal.
    let fileCounty: String
    /// The line of the record being checked.
    var line = 0
    /// False once any error was reported for the current record.
    var recordValid = true

    /// `fileCounty` as a number, compared with each record's code.
    private let fileCountyNumber: UInt64?
    /// The six ASCII bytes of `fileCounty`, loaded as one number.
    private let fileCountyBytes: UInt64

    init(log: IssueLog, fileCounty: String) {
        self.log = log
        self.fileCounty = fileCounty
        fileCountyNumber = UInt64(fileCounty)
        var county = fileCounty
        fileCountyBytes = county.utf8.count == 6 ? county.withUTF8 { Self.sixBytes(UnsafeRawPointer($0.baseAddress!)) } : .max
    }

    mutating func begin(line: Int) {
        self.line = line
        recordValid = true
    }

    /// Column names are literals: a `StaticString` costs nothing to pass,
    /// and a `String` is made only for an error.
    mutating func fail(_ code: IssueCode, _ column: StaticString, _ message: @autoclosure () -> String) {
        recordValid = false
        log.add(Issue(code, line: line, column: "\(column)", message()))
    }

    /// A value quoted for a message: at most 40 characters, never a control byte.
    static func show(_ v: UnsafeRawBufferPointer) -> String {
        var s = String(decoding: v, as: UTF8.self)
        if s.count > 40 { s = String(s.prefix(40)) + "…" }
        return "\"" + s.unicodeScalars.map { $0.value < 0x20 ? "?" : String($0) }.joined() + "\""
    }

    // MARK: presence

    /// False (and `E_REQUIRED`) when a required value is missing.
    mutating func present(_ v: UnsafeRawBufferPointer, _ name: StaticString, _ what: @autoclosure () -> String) -> Bool {
        if v.count > 0 { return true }
        fail(.required, name, "\(name) is missing: every record needs \(what())")
        return false
    }

    // MARK: types

    /// The common case inline (a few digits, in range); anything else,
    /// and every message, in `checkedInteger`.
    @inline(__always)
    mutating func integer(_ v: UnsafeRawBufferPointer, _ name: StaticString, _ range: ClosedRange<Int>?) -> Int? {
        if v.count > 0 && v.count <= 9 {
            var n = 0
            var digits = true
            for b in v {
                let d = b &- 0x30
                if d >= 10 { digits = false; break }
                n = n &* 10 &+ Int(d)
            }
            if digits && (range?.contains(n) ?? true) { return n }
        }
        return checkedInteger(v, name, range)
    }

    @inline(never)
    private mutating func checkedInteger(_ v: UnsafeRawBufferPointer, _ name: StaticString, _ range: ClosedRange<Int>?) -> Int? {
        guard present(v, name, "\(name) (a whole number)") else { return nil }
        guard let n = ValueParsers.integer(v) else {
            fail(.type, name, "\(name) is \(Self.show(v)), not a whole number: write ASCII digits only, with no sign, decimal point or separator")
            return nil
        }
        if let range, !range.contains(n) {
            let shown = n >= ValueParsers.integerCeiling ? Self.show(v) : String(n)
            fail(.range, name, "\(name) is \(shown), outside the allowed range \(range.lowerBound)..\(range.upperBound)")
            return nil
        }
        return n
    }

    mutating func boolean(_ v: UnsafeRawBufferPointer, _ name: StaticString) -> Bool? {
        guard present(v, name, "\(name) (yes or no)") else { return nil }
        guard let b = ValueParsers.boolean(v) else {
            fail(.type, name, "\(name) is \(Self.show(v)), not a yes/no value: write 1 or 0, Y or N, true or false, 是 or 否")
            return nil
        }
        return b
    }

    mutating func date(_ v: UnsafeRawBufferPointer, _ name: StaticString, required: Bool = true) -> Int? {
        if required {
            guard present(v, name, "\(name) (a date)") else { return nil }
        } else if v.count == 0 {
            return nil
        }
        guard let d = ValueParsers.date(v) else {
            fail(.type, name, "\(name) is \(Self.show(v)), not a real calendar date: write YYYY-MM-DD (2023-03-01) or YYYY/M/D (2023/3/1)")
            return nil
        }
        return d
    }

    /// Nearly every record carries the file's county: its six bytes are
    /// compared at once; anything else is checked and explained in
    /// `checkedCountyCode`.
    @inline(__always)
    mutating func countyCode(_ v: UnsafeRawBufferPointer) -> Bool {
        if v.count == 6, let p = v.baseAddress, Self.sixBytes(p) == fileCountyBytes { return true }
        return checkedCountyCode(v)
    }

    @inline(__always)
    private static func sixBytes(_ p: UnsafeRawPointer) -> UInt64 {
        UInt64(p.loadUnaligned(as: UInt32.self)) | UInt64(p.loadUnaligned(fromByteOffset: 4, as: UInt16.self)) << 32
    }

    @inline(never)
    private mutating func checkedCountyCode(_ v: UnsafeRawBufferPointer) -> Bool {
        let name: StaticString = "county_code"
        let county = fileCounty
        guard present(v, name, "county_code (the file's 6-digit county code, \(county))") else { return false }
        guard let code = ValueParsers.fixedDigits(v, count: 6) else {
            fail(.type, name, "county_code is \(Self.show(v)), not a 6-digit county code: write \(county), the county of the file name")
            return false
        }
        guard code == fileCountyNumber else {
            fail(.countyMismatch, name, "county_code is \(Bytes.string(v)) but the file is for county \(county): every record must carry the county of the file name")
            return false
        }
        return true
    }

    @inline(__always)
    mutating func schoolID(_ v: UnsafeRawBufferPointer, _ name: StaticString = "school_id", required: Bool = true) -> UInt64? {
        if let id = ValueParsers.fixedDigits(v, count: 10) { return id }
        return checkedSchoolID(v, name, required: required)
    }

    @inline(never)
    private mutating func checkedSchoolID(_ v: UnsafeRawBufferPointer, _ name: StaticString, required: Bool) -> UInt64? {
        if required {
            guard present(v, name, "school_id (the 10-digit national school identification code)") else { return nil }
        } else if v.count == 0 {
            return nil
        }
        guard let id = ValueParsers.fixedDigits(v, count: 10) else {
            fail(.type, name, "\(name) is \(Self.show(v)), not a school identification code: write exactly 10 digits, such as 1111010001")
            return nil
        }
        return id
    }

    /// A resident ID; messages mask it (section 2, privacy).
    mutating func residentID(_ v: UnsafeRawBufferPointer, _ name: StaticString) -> UInt64? {
        guard present(v, name, "\(name) (the child's 18-character resident ID)") else { return nil }
        switch ValueParsers.residentID(v) {
        case .valid(let id):
            return id
        case .malformed:
            fail(.type, name, "\(name) \(ValueParsers.maskedID(v)) (\(Bytes.codePointCount(v)) characters) is not a resident ID: write 18 characters, 17 digits and a check character 0-9 or X")
        case .impossibleBirthDate:
            fail(.type, name, "\(name) \(ValueParsers.maskedID(v)) is not a resident ID: its digits 7-14 are not a real birth date (YYYYMMDD)")
        case .wrongCheck:
            fail(.checksum, name, "\(name) \(ValueParsers.maskedID(v)) has a wrong check character (ISO 7064 MOD 11-2): one of its 18 characters is mistyped; copy the ID again from the household register")
        }
        return nil
    }

    /// One of a fixed list of words, matched exactly.
    @inline(__always)
    mutating func choice<T: Vocabulary>(_ v: UnsafeRawBufferPointer, _ name: StaticString, required: Bool = true,
                                        _ type: T.Type) -> T? {
        if let value = T.match(v) { return value }
        return checkedChoice(v, name, required: required, type)
    }

    @inline(never)
    private mutating func checkedChoice<T: Vocabulary>(_ v: UnsafeRawBufferPointer, _ name: StaticString, required: Bool,
                                                       _ type: T.Type) -> T? {
        if v.count == 0 {
            if required {
                fail(.required, name, "\(name) is missing: every record needs \(name) (one of \(T.wordList))")
            }
            return nil
        }
        if let value = T.match(v) { return value }
        fail(.enumeration, name, "\(name) is \(Self.show(v)): write one of \(T.wordList)")
        return nil
    }

    /// Free text of at most `maxCharacters` Unicode code points.
    @inline(__always)
    mutating func text(_ v: UnsafeRawBufferPointer, _ name: StaticString, required: Bool, maxCharacters: Int) -> Bool {
        // No more bytes than allowed characters: no need to count them.
        if v.count > 0 && v.count <= maxCharacters { return true }
        return checkedText(v, name, required: required, maxCharacters: maxCharacters)
    }

    @inline(never)
    private mutating func checkedText(_ v: UnsafeRawBufferPointer, _ name: StaticString, required: Bool, maxCharacters: Int) -> Bool {
        if v.count == 0 {
            if required { return present(v, name, "\(name) (text, 1 to \(maxCharacters) characters)") }
            return true
        }
        let n = Bytes.codePointCount(v)
        if n > maxCharacters {
            fail(.range, name, "\(name) has \(n) characters: at most \(maxCharacters) are allowed")
            return false
        }
        return true
    }
}
