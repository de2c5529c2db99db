import EdupipeAggregate

/// A growable byte buffer for writing CSV and JSON text without building a
/// `String` per row: fields are appended as UTF-8, quoted or escaped only
/// when they hold a byte that needs it. Writers own it as a local value and
/// hand it on `inout`, so appending is a bounds check and a copy.
public struct TextBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    public private(set) var count = 0

    public init(capacity: Int = 1 << 17) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    public mutating func clear() { count = 0 }

    /// The bytes written so far, valid until the next append or clear.
    public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    private mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    @inline(never)
    private mutating func grow(_ needed: Int) {
        var size = capacity * 2
        while size < needed { size *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = size
    }

    @inline(__always)
    public mutating func append(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        (base + count).update(from: bytes.baseAddress!, count: bytes.count)
        count += bytes.count
    }

    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    @inline(__always)
    public mutating func append(_ s: StaticString) {
        append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Bytes as lower-case hex digits, without a `String`.
    public mutating func appendHex(_ bytes: [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        reserve(bytes.count * 2)
        for b in bytes {
            base[count] = digits.utf8Start[Int(b >> 4)]
            base[count + 1] = digits.utf8Start[Int(b & 15)]
            count += 2
        }
    }

    /// An integer in decimal, without a `String`: the digits are counted,
    /// then written in place from the last.
    public mutating func appendInt(_ n: Int) {
        reserve(21)
        if n < 0 {
            base[count] = UInt8(ascii: "-")
            count += 1
        }
        var v = n.magnitude
        var digits = 1
        var rest = v
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        var i = count + digits
        repeat {
            i -= 1
            base[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        } while v > 0
        count += digits
    }

    /// `numerator/denominator` rounded half up to six decimals, in integers;
    /// `trimmed` drops trailing zeros (`0.75`, `1`), same number, fewer bytes.
    public mutating func appendRatio(_ numerator: Int, _ denominator: Int, trimmed: Bool = false) {
        let (whole, fraction) = Ratio.scaled(numerator, denominator)
        appendInt(whole)
        var f = fraction
        var digits = 6
        if trimmed {
            if f == 0 { return }
            while f % 10 == 0 {
                f /= 10
                digits -= 1
            }
        }
        // The fraction's digits from the last, dividing by the constant 10.
        reserve(digits + 1)
        base[count] = UInt8(ascii: ".")
        var i = digits
        while i > 0 {
            base[count + i] = UInt8(ascii: "0") + UInt8(f % 10)
            f /= 10
            i -= 1
        }
        count += digits + 1
    }

    /// An indicator's value: the ratio to six decimals, or the count itself
    /// when there is no denominator.
    public mutating func appendValue(_ numerator: Int, over denominator: Int?, trimmed: Bool = false) {
        if let denominator { appendRatio(numerator, denominator, trimmed: trimmed) } else { appendInt(numerator) }
    }

    /// An RFC 4180 field: quoted when it holds a comma, quote or line break.
    /// A field a spreadsheet would run as a formula (it begins with `=`,
    /// `+`, `-`, `@`, tab or CR and is not a number) gets a `'` in front,
    /// as OWASP advises against CSV injection (section 6): every CSV
    /// edupipe writes, the contract files too, goes through here.
    public mutating func csvField(_ s: String?) {
        guard var s else { return }
        s.withUTF8 { u in
            let guarded = FormulaGuard.runsAsFormula(u.span)
            if !guarded && !u.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                append(u)
                return
            }
            append(0x22)
            if guarded { append(UInt8(ascii: "'")) }
            for b in u {
                if b == 0x22 { append(0x22) }
                append(b)
            }
            append(0x22)
        }
    }

    /// A JSON string literal (or `null`).
    public mutating func jsonString(_ s: String?) {
        guard var s else { return append("null" as StaticString) }
        append(0x22)
        s.withUTF8 { u in
            if !u.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
                append(u)
                return
            }
            for b in u {
                switch b {
                case 0x22: append(0x5C); append(0x22)
                case 0x5C: append(0x5C); append(0x5C)
                case 0x0A: append(0x5C); append(UInt8(ascii: "n"))
                case 0x0D: append(0x5C); append(UInt8(ascii: "r"))
                case 0x09: append(0x5C); append(UInt8(ascii: "t"))
                case 0..<0x20:
                    let hex: StaticString = "0123456789abcdef"
                    append("\\u00" as StaticString)
                    append(hex.utf8Start[Int(b >> 4)])
                    append(hex.utf8Start[Int(b & 0xF)])
                default: append(b)
                }
            }
        }
        append(0x22)
    }
}

/// Text put into XML and HTML: file names and error messages come from
/// the inbox, so they are escaped, and characters XML cannot hold are
/// replaced rather than allowed to break the document.
extension TextBuffer {
    /// `s` as XML or HTML character data or attribute value.
    public mutating func markup(_ s: String) {
        var s = s
        s.withUTF8 { u in
            var i = 0
            while i < u.count {
                let b = u[i]
                switch b {
                case 0x26: append("&amp;" as StaticString)
                case 0x3C: append("&lt;" as StaticString)
                case 0x3E: append("&gt;" as StaticString)
                case 0x22: append("&quot;" as StaticString)
                case 0x27: append("&#39;" as StaticString)
                case 0x09, 0x0A, 0x0D: append(b)
                // C0 controls and U+FFFE, U+FFFF are not allowed in XML.
                case 0..<0x20: append("\u{FFFD}" as StaticString)
                case 0xEF where i + 2 < u.count && u[i + 1] == 0xBF && u[i + 2] >= 0xBE:
                    append("\u{FFFD}" as StaticString)
                    i += 2
                default: append(b)
                }
                i += 1
            }
        }
    }
}
