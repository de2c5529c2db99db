/// Masks full resident IDs in any text that may reach a person or a file:
/// messages, column names, paths and log lines (standard, section 6: "any
/// 18-character value with a valid check character is shown masked").
///
/// A child's ID can stand anywhere a clerk's file puts it: a header row that
/// is really the first record, an ID typed into `school_id`, a file named
/// after a child. Masking at each place that builds a message misses the
/// next such place, so text is scrubbed where it leaves: `Issue` scrubs its
/// message and column, the log handlers their lines, the inbox its paths.
/// Text shortened for a message is masked *before* it is cut (`ShownText`),
/// so no cut leaves 17 characters of an ID for this mask to miss.
///
/// What counts: 17 digits followed by a digit or `X`/`x` whose ISO 7064
/// MOD 11-2 check holds, wherever it stands in a run of digits (so an ID with
/// a digit typed before or after it is masked too). Full-width digits
/// (`１`, U+FF10-U+FF19) and `Ｘ`/`ｘ`, what a Chinese input method types,
/// count as digits and X, alone or mixed with ASCII ones. The birth date is
/// not required to be real: a mistyped date still identifies a child.
public enum ResidentIDMask {
    /// `text` with every full resident ID in it shown as its first six and
    /// last four characters (`110101********0013`). Returns `text` itself
    /// when it holds none, which is nearly always.
    public static func scrub(_ text: String) -> String {
        // Nearly no text holds 17 digits in a row: find that out without
        // copying it, on the string's own storage when it has one (through
        // the view's iterator this was 3% of the upload service's time).
        let utf8 = text.utf8
        guard utf8.withContiguousStorageIfAvailable(hasSeventeenDigits) ?? hasSeventeenDigits(utf8) else { return text }
        var scalars = Array(text.unicodeScalars)
        guard scrub(scalars: &scalars) else { return text }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    /// Masks IDs in place in UTF-8 bytes (any bytes: an invalid sequence is
    /// kept as it is and ends a run of digits); true when any was found.
    @discardableResult
    public static func scrub(bytes: inout [UInt8]) -> Bool {
        guard bytes.count >= 18 else { return false }
        // Decode to scalars, keeping each one's byte range; bytes that are
        // not UTF-8 stand as U+FFFD, which ends a run.
        var scalars: [Unicode.Scalar] = []
        var ranges: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            let length = UTF8Validator.sequenceLength(bytes, at: i)
            if length == 0 {
                scalars.append("\u{FFFD}")
                ranges.append(i..<(i + 1))
                i += 1
                continue
            }
            var decoded: Unicode.Scalar = "\u{FFFD}"
            var it = bytes[i..<(i + length)].makeIterator()
            var decoder = UTF8()
            if case .scalarValue(let s) = decoder.decode(&it) { decoded = s }
            scalars.append(decoded)
            ranges.append(i..<(i + length))
            i += length
        }
        let before = scalars
        guard scrub(scalars: &scalars) else { return false }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for k in scalars.indices {
            if scalars[k] == before[k] {
                out += bytes[ranges[k]]
            } else {
                out.append(UInt8(ascii: "*"))
            }
        }
        bytes = out
        return true
    }

    /// Masks IDs in a run of scalars in place; true when any was found.
    static func scrub(scalars: inout [Unicode.Scalar]) -> Bool {
        let n = scalars.count
        guard n >= 18 else { return false }
        var changed = false
        var i = 0
        while i < n {
            // The start of a run of digits (an ID's 17 digits come first).
            guard digitValue(scalars[i]) != nil else { i += 1; continue }
            var runEnd = i
            while runEnd < n && digitValue(scalars[runEnd]) != nil { runEnd += 1 }
            // A check character X may close the run.
            let closesWithX = runEnd < n && isX(scalars[runEnd])
            let candidateEnd = closesWithX ? runEnd + 1 : runEnd
            if candidateEnd - i >= 18 {
                var start = i
                while start + 18 <= candidateEnd {
                    if hasValidCheck(scalars, start) {
                        for k in (start + 6)..<(start + 14) { scalars[k] = "*" }
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

    /// Whether the 18 scalars at `start` are 17 digits and a check character
    /// that passes MOD 11-2.
    static func hasValidCheck(_ s: [Unicode.Scalar], _ start: Int) -> Bool {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for k in 0..<17 {
            guard let d = digitValue(s[start + k]) else { return false }
            sum += d * weights[k]
        }
        let last = s[start + 17]
        let check: Int
        if let d = digitValue(last) { check = d } else if isX(last) { check = 10 } else { return false }
        return (12 - sum % 11) % 11 == check
    }

    /// 0-9 for an ASCII or a full-width digit, else nil.
    @inline(__always)
    static func digitValue(_ s: Unicode.Scalar) -> Int? {
        let v = s.value
        if v &- 0x30 < 10 { return Int(v - 0x30) }
        if v &- 0xFF10 < 10 { return Int(v - 0xFF10) }
        return nil
    }

    /// `X`, `x`, `Ｘ` or `ｘ`: the check character ten.
    @inline(__always)
    static func isX(_ s: Unicode.Scalar) -> Bool {
        s == "X" || s == "x" || s == "\u{FF38}" || s == "\u{FF58}"
    }

    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Whether 17 digits stand in a row, ASCII or full-width (three bytes,
    /// EF BC 90-99) mixed.
    @inline(__always)
    private static func hasSeventeenDigits(_ bytes: some Sequence<UInt8>) -> Bool {
        var run = 0
        var wide = 0
        for b in bytes {
            if isDigit(b) {
                run += 1
            } else if wide == 0 && b == 0xEF {
                wide = 1
                continue
            } else if wide == 1 && b == 0xBC {
                wide = 2
                continue
            } else if wide == 2 && b >= 0x90 && b <= 0x99 {
                run += 1
            } else {
                run = 0
            }
            wide = 0
            if run == 17 { return true }
        }
        return false
    }
}

/// Prepares any text taken from a file for a message, a header, a receipt,
/// a log line or a CSV cell: resident IDs masked first, then shortened to
/// `limit` characters (with `…`), control characters shown as `?`. One
/// function, so that no path can cut before it masks.
public enum ShownText {
    public static func prepare(_ text: String, limit: Int = 40) -> String {
        let masked = ResidentIDMask.scrub(text)
        var out = String.UnicodeScalarView()
        var count = 0
        var cut = false
        for s in masked.unicodeScalars {
            if count == limit { cut = true; break }
            out.append(s.value < 0x20 || s.value == 0x7F ? "?" : s)
            count += 1
        }
        var result = String(out)
        if cut { result += "…" }
        return result
    }

    /// `prepare`'s text in double quotes, as messages quote a value.
    public static func quoted(_ text: String, limit: Int = 40) -> String {
        "\"" + prepare(text, limit: limit) + "\""
    }
}
