/// Terminal text aligned by display width: a Chinese character (and any
/// wide character) takes two columns.

/// Pads to a display width, counting CJK characters as two columns.
package func pad(_ s: String, _ width: Int) -> String {
    let w = displayWidth(s)
    return w >= width ? s + " " : s + String(repeating: " ", count: width - w)
}

package func lpad(_ s: String, _ width: Int) -> String {
    let w = displayWidth(s)
    return w >= width ? " " + s : String(repeating: " ", count: width - w) + s
}

func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && ($1.value <= 0x115F || (0x2E80...0xFFDC).contains($1.value)) ? 2 : 1) }
}

/// Rows as a terminal table: each column as wide as its widest cell.
public enum DisplayWidth {
    public static func table(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? displayWidth($0[c]) : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : pad(cell, widths[i] + 1) }.joined()
        }.joined(separator: "\n") + "\n"
    }
}
