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
    public static func neutralised(_ s: String) -> String {
        guard let first = s.utf8.first else { return s }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D:
            return "'" + s
        default:
            return s
        }
    }
}
