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

/// Keeps text cells from being taken for formulas when a spreadsheet user
/// edits or re-saves them (CSV injection): text that begins with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading apostrophe.
public enum FormulaGuard {
    /// `s`, or `'` and `s` when a spreadsheet would run it as a formula.
    public static func neutralised(_ s: String) -> String {
        runsAsFormula(s.utf8Span.span) ? "'" + s : s
    }

    /// Whether a spreadsheet would read the text as a formula: it begins
    /// with `=`, `+`, `-`, `@`, tab or CR and is not a number (`-3` and
    /// `+1.5` are numbers and stay as they are).
    ///
    /// Text that begins with apostrophes before such a character gets one
    /// more too, so that `restored` gives back exactly what was written
    /// (`'=x` is written `''=x`).
    public static func runsAsFormula(_ u: Span<UInt8>) -> Bool {
        var start = 0
        while start < u.count && u[start] == UInt8(ascii: "'") { start += 1 }
        guard start < u.count else { return false }
        let rest = u.extracting(droppingFirst: start)
        switch rest[0] {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D:
            return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return !isNumber(rest)
        default:
            return false
        }
    }

    /// A cell as it was before `neutralised` (what `edupipe export` reads
    /// back from the contract files).
    public static func restored(_ s: String) -> String {
        guard s.utf8.first == UInt8(ascii: "'") else { return s }
        let rest = String(s.dropFirst())
        return runsAsFormula(rest.utf8Span.span) ? rest : s
    }

    /// A sign, digits, and at most one decimal point with a digit somewhere.
    private static func isNumber(_ u: Span<UInt8>) -> Bool {
        var digits = 0
        var points = 0
        for i in u.indices {
            let b = u[i]
            if i == 0 && (b == UInt8(ascii: "+") || b == UInt8(ascii: "-")) { continue }
            if b &- 0x30 < 10 { digits += 1; continue }
            if b == UInt8(ascii: ".") { points += 1; continue }
            return false
        }
        return digits > 0 && points <= 1
    }
}
