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
        // One byte, the apostrophe: `dropFirst()` would drop a whole
        // character, and an apostrophe followed by a combining mark
        // (U+0599) is one character (found by FuzzOutput).
        let rest = String(decoding: s.utf8.dropFirst(), as: UTF8.self)
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
