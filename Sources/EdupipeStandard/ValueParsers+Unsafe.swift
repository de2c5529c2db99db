/// Parsers for the value types of section 1.6, straight from trimmed bytes.
/// Each returns nil (or a failure case) for a value that is not of its type;
/// none allocates.
package enum ValueParsers {
    /// Values above this are reported as out of range, never overflow.
    static let integerCeiling = 1 << 50

    /// ASCII digits only; leading zeros allowed (`045` is 45). Very long
    /// digit strings saturate at `integerCeiling`.
    @inline(__always)
    static func integer(_ text: String) -> Int? { Array(text.utf8).withUnsafeBytes { integer($0) } }

    static func integer(_ v: UnsafeRawBufferPointer) -> Int? {
        guard v.count > 0 else { return nil }
        var n = 0
        for b in v {
            let d = b &- 0x30
            guard d < 10 else { return nil }
            n = n * 10 + Int(d)
            if n > integerCeiling { n = integerCeiling }
        }
        return n
    }

    /// `1 0 Y N true false 是 否`, letters in any case.
    static func boolean(_ text: String) -> Bool? { Array(text.utf8).withUnsafeBytes { boolean($0) } }

    static func boolean(_ v: UnsafeRawBufferPointer) -> Bool? {
        switch v.count {
        case 1:
            switch v[0] {
            case UInt8(ascii: "1"), UInt8(ascii: "Y"), UInt8(ascii: "y"): return true
            case UInt8(ascii: "0"), UInt8(ascii: "N"), UInt8(ascii: "n"): return false
            default: return nil
            }
        case 3:
            if v[0] == 0xE6, v[1] == 0x98, v[2] == 0xAF { return true } // 是
            if v[0] == 0xE5, v[1] == 0x90, v[2] == 0xA6 { return false } // 否
            return nil
        case 4:
            return lowercasedEquals(v, "true") ? true : nil
        case 5:
            return lowercasedEquals(v, "false") ? false : nil
        default:
            return nil
        }
    }

    private static func lowercasedEquals(_ v: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        let p = word.utf8Start
        for i in 0..<v.count where v[i] | 0x20 != p[i] { return false }
        return true
    }

    /// `YYYY-MM-DD` or `YYYY/M/D`, a real calendar date, as `yyyymmdd`.
    /// The same over text (a plan's deadline).
    static func date(_ text: String) -> Int? { Array(text.utf8).withUnsafeBytes { date($0) } }

    static func date(_ v: UnsafeRawBufferPointer) -> Int? {
        guard v.count >= 8, v.count <= 10 else { return nil }
        guard let year = digits(v, 0, 4) else { return nil }
        let sep = v[4]
        var month: Int
        var day: Int
        if sep == UInt8(ascii: "-") {
            guard v.count == 10, v[7] == UInt8(ascii: "-"),
                  let m = digits(v, 5, 2), let d = digits(v, 8, 2) else { return nil }
            month = m
            day = d
        } else if sep == UInt8(ascii: "/") {
            var i = 5
            guard let (m, afterMonth) = shortNumber(v, from: i) else { return nil }
            i = afterMonth
            guard i < v.count, v[i] == UInt8(ascii: "/") else { return nil }
            guard let (d, afterDay) = shortNumber(v, from: i + 1), afterDay == v.count else { return nil }
            month = m
            day = d
        } else {
            return nil
        }
        guard isRealDate(year: year, month: month, day: day) else { return nil }
        return year * 10000 + month * 100 + day
    }

    /// One or two digits starting at `from`; returns the number and the index after it.
    private static func shortNumber(_ v: UnsafeRawBufferPointer, from: Int) -> (Int, Int)? {
        var i = from
        var n = 0
        while i < v.count, i - from < 2, v[i] &- 0x30 < 10 {
            n = n * 10 + Int(v[i] &- 0x30)
            i += 1
        }
        return i == from ? nil : (n, i)
    }

    @inline(__always)
    static func digits(_ v: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Int? {
        var n = 0
        for i in start..<(start + count) {
            let d = v[i] &- 0x30
            guard d < 10 else { return nil }
            n = n * 10 + Int(d)
        }
        return n
    }

    static func isRealDate(year: Int, month: Int, day: Int) -> Bool {
        guard year >= 1, month >= 1, month <= 12, day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// Six bytes (a county code) as one little-endian number, compared
    /// with the file's county on every record; nil unless exactly six.
    @inline(__always)
    static func sixBytes(_ v: UnsafeRawBufferPointer) -> UInt64? {
        guard v.count == 6, let p = v.baseAddress else { return nil }
        return UInt64(p.loadUnaligned(as: UInt32.self)) | UInt64(p.loadUnaligned(fromByteOffset: 4, as: UInt16.self)) << 32
    }

    static func sixBytes(_ bytes: [UInt8]) -> UInt64? { bytes.withUnsafeBytes { sixBytes($0) } }

    /// Exactly `count` ASCII digits, as a number. Eight digits at a time:
    /// codes and IDs are 6 to 17 digits, on every record.
    @inline(__always)
    static func fixedDigits(_ v: UnsafeRawBufferPointer, count: Int) -> UInt64? {
        guard v.count == count, let base = v.baseAddress else { return nil }
        var n: UInt64 = 0
        var i = 0
        while i + 8 <= count {
            guard let eight = eightDigits(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) else { return nil }
            n = n &* 100_000_000 &+ eight
            i += 8
        }
        while i < count {
            let d = v[i] &- 0x30
            guard d < 10 else { return nil }
            n = n &* 10 &+ UInt64(d)
            i += 1
        }
        return n
    }

    /// Eight ASCII digits loaded little-endian (first digit in the low byte),
    /// as their number; nil when any byte is not a digit.
    @inline(__always)
    static func eightDigits(_ w: UInt64) -> UInt64? {
        // Every byte 0x30...0x39: high nibble 3, and adding 6 keeps it 3.
        let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        guard w & high == 0x3030_3030_3030_3030,
              (w &+ 0x0606_0606_0606_0606) & high == 0x3030_3030_3030_3030 else { return nil }
        // Combine neighbours: pairs, then quads, then the eight.
        var x = w & 0x0F0F_0F0F_0F0F_0F0F
        x = (x &* (10 << 8 + 1)) >> 8
        x = ((x & 0x00FF_00FF_00FF_00FF) &* (100 << 16 + 1)) >> 16
        x = ((x & 0x0000_FFFF_0000_FFFF) &* (10000 << 32 + 1)) >> 32
        return x
    }

    enum ResidentID: Equatable {
        /// The 17 digits times 11 plus the check value (X is 10): unique per ID.
        case valid(UInt64)
        case malformed
        case impossibleBirthDate
        case wrongCheck
    }

    /// GB 11643: 17 digits and an ISO 7064 MOD 11-2 check character, digits
    /// 7-14 a real date.
    static func residentID(_ v: UnsafeRawBufferPointer) -> ResidentID {
        guard v.count == 18, let body = fixedDigits(UnsafeRawBufferPointer(rebasing: v[0..<17]), count: 17) else {
            return .malformed
        }
        let last = v[17]
        let check: Int
        switch last {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): check = Int(last - 0x30)
        case UInt8(ascii: "X"), UInt8(ascii: "x"): check = 10
        default: return .malformed
        }
        guard let year = digits(v, 6, 4), let month = digits(v, 10, 2), let day = digits(v, 12, 2),
              isRealDate(year: year, month: month, day: day) else {
            return .impossibleBirthDate
        }
        guard checkValue(v.prefix(17)) == check else { return .wrongCheck }
        return .valid(body * 11 + UInt64(check))
    }

    /// The ISO 7064 MOD 11-2 check value (10 for X) of 17 ASCII digits:
    /// weights are 2^(17-i) mod 11, and the check makes the weighted sum
    /// 1 mod 11.
    static func checkValue(_ digits: some Sequence<UInt8>) -> Int {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (i, b) in digits.prefix(17).enumerated() { sum += Int(b &- 0x30) * weights[i] }
        return (12 - sum % 11) % 11
    }

    /// 17 digits followed by their check character: an example or
    /// synthetic ID, valid under GB 11643.
    package static func withCheckCharacter(_ body: String) -> String {
        let check = checkValue(body.utf8)
        return body + (check == 10 ? "X" : String(check))
    }

    /// A resident ID as it may appear in a message: the county part and the
    /// last four characters, never the birth date or the whole ID.
    static func maskedID(_ v: UnsafeRawBufferPointer) -> String {
        let chars = Array(String(decoding: v, as: UTF8.self))
        guard chars.count > 10 else {
            let shown = min(chars.count, chars.count <= 6 ? 2 : 6)
            return String(chars.prefix(shown)) + String(repeating: "*", count: chars.count - shown)
        }
        return String(chars.prefix(6)) + String(repeating: "*", count: chars.count - 10) + String(chars.suffix(4))
    }
}
