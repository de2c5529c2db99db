/// Masks full resident IDs in any text that may reach a person or a file:
/// messages, column names, paths and log lines (standard, section 6: "any
/// 18-character value with a valid check character is shown masked").
///
/// A child's ID can stand anywhere a clerk's file puts it: a header row that
/// is really the first record, an ID typed into `school_id`, a file named
/// after a child. Masking at each place that builds a message misses the
/// next such place, so text is scrubbed where it leaves: `Issue` scrubs its
/// message and column, the log handlers their lines, the inbox its paths.
///
/// What counts: 17 ASCII digits followed by a digit or `X`/`x` whose ISO 7064
/// MOD 11-2 check holds, wherever it stands in a run of digits (so an ID with
/// a digit typed before or after it is masked too). The birth date is not
/// required to be real: a mistyped date still identifies a child.
public enum ResidentIDMask {
    /// `text` with every full resident ID in it shown as its first six and
    /// last four characters (`110101********0013`). Returns `text` itself
    /// when it holds none, which is nearly always.
    public static func scrub(_ text: String) -> String {
        // Nearly no text holds 17 digits in a row: find that out without
        // copying it.
        var run = 0
        var longEnough = false
        for b in text.utf8 {
            run = isDigit(b) ? run + 1 : 0
            if run == 17 { longEnough = true; break }
        }
        guard longEnough else { return text }
        var utf8 = Array(text.utf8)
        guard scrub(bytes: &utf8) else { return text }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Masks IDs in place; true when any was found.
    @discardableResult
    public static func scrub(bytes: inout [UInt8]) -> Bool {
        guard bytes.count >= 18 else { return false }
        var changed = false
        var i = 0
        let n = bytes.count
        while i < n {
            // The start of a run of digits (an ID's 17 digits come first).
            guard isDigit(bytes[i]) else { i += 1; continue }
            var runEnd = i
            while runEnd < n && isDigit(bytes[runEnd]) { runEnd += 1 }
            // A check character X may close the run.
            let closesWithX = runEnd < n && (bytes[runEnd] == UInt8(ascii: "X") || bytes[runEnd] == UInt8(ascii: "x"))
            let candidateEnd = closesWithX ? runEnd + 1 : runEnd
            if candidateEnd - i >= 18 {
                var start = i
                while start + 18 <= candidateEnd {
                    if hasValidCheck(bytes, start) {
                        for k in (start + 6)..<(start + 14) { bytes[k] = UInt8(ascii: "*") }
                        changed = true
                        // The last four stay shown: they may start another ID.
                        start += 14
                    } else {
                        start += 1
                    }
                }
            }
            i = candidateEnd
        }
        return changed
    }

    /// Whether the 18 bytes at `start` are 17 digits and a check character
    /// (the last may be X only at the end of the window) that passes MOD 11-2.
    static func hasValidCheck(_ b: [UInt8], _ start: Int) -> Bool {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for k in 0..<17 {
            let d = Int(b[start + k]) - 0x30
            guard d >= 0 && d <= 9 else { return false }
            sum += d * weights[k]
        }
        let last = b[start + 17]
        let check: Int
        if isDigit(last) { check = Int(last) - 0x30 } else if last == UInt8(ascii: "X") || last == UInt8(ascii: "x") { check = 10 } else { return false }
        return (12 - sum % 11) % 11 == check
    }

    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
}
