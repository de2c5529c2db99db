#if canImport(Glibc)
import Glibc
#endif

/// Small byte-level helpers shared by the readers and the value parsers.
enum Bytes {
    /// Drops surrounding white space: ASCII space, tab, CR, LF, and the
    /// no-break (U+00A0) and ideographic (U+3000) spaces that spreadsheets
    /// typed on Chinese systems often carry.
    @inline(__always)
    static func trim(_ v: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let base = v.baseAddress, v.count > 0 else { return v }
        // Nearly every value starts and ends with a printable ASCII byte.
        let first = v[0], last = v[v.count - 1]
        if first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 { return v }
        return trimSlow(base, v.count)
    }

    @inline(never)
    private static func trimSlow(_ base: UnsafeRawPointer, _ count: Int) -> UnsafeRawBufferPointer {
        let v = UnsafeRawBufferPointer(start: base, count: count)
        var lo = 0
        var hi = v.count
        while lo < hi {
            let c = v[lo]
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A { lo += 1; continue }
            if c == 0xC2, lo + 1 < hi, v[lo + 1] == 0xA0 { lo += 2; continue }
            if c == 0xE3, lo + 2 < hi, v[lo + 1] == 0x80, v[lo + 2] == 0x80 { lo += 3; continue }
            break
        }
        while hi > lo {
            let c = v[hi - 1]
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A { hi -= 1; continue }
            if c == 0xA0, hi - 2 >= lo, v[hi - 2] == 0xC2 { hi -= 2; continue }
            if c == 0x80, hi - 3 >= lo, v[hi - 2] == 0x80, v[hi - 3] == 0xE3 { hi -= 3; continue }
            break
        }
        return UnsafeRawBufferPointer(start: base + lo, count: hi - lo)
    }

    /// Unicode code points in valid UTF-8: every byte that is not a continuation.
    static func codePointCount(_ v: UnsafeRawBufferPointer) -> Int {
        var n = 0
        for b in v where b & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// Whether `v` holds exactly the bytes of `literal`. Vocabulary words
    /// are 4 to 16 bytes: two overlapping loads compare them.
    @inline(__always)
    static func equals(_ v: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard v.count == n else { return false }
        guard n > 0 else { return true }
        let a = v.baseAddress!, b = UnsafeRawPointer(literal.utf8Start)
        switch n {
        case 4...8:
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        case 9...16:
            return a.loadUnaligned(as: UInt64.self) == b.loadUnaligned(as: UInt64.self)
                && a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        default:
            return memcmp(a, b, n) == 0
        }
    }

    static func string(_ v: UnsafeRawBufferPointer) -> String {
        String(decoding: v, as: UTF8.self)
    }
}
