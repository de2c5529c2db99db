// The bytes the readers hand on: a record's values (`FieldValues`), views
// into the reader's buffer, and the helpers that read them (`Bytes`).
#if canImport(Glibc)
import Glibc
#endif

/// Small byte-level helpers shared by the readers and the value parsers.
@usableFromInline package enum Bytes {
    /// Drops surrounding white space: every character with the Unicode
    /// White_Space property (standard, section 6): tab, LF, VT, FF, CR,
    /// space, U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029,
    /// U+202F, U+205F and U+3000 (the ideographic space of Chinese input
    /// methods). U+200B and U+FEFF are not white space.
    @inline(__always)
    @inlinable package static func trim(_ v: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let base = v.baseAddress, v.count > 0 else { return v }
        // Nearly every value starts and ends with a printable ASCII byte.
        let first = v[0], last = v[v.count - 1]
        if first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 { return v }
        return trimSlow(base, v.count)
    }

    /// Whether `v` holds nothing but white space (or nothing at all).
    @inlinable package static func isBlank(_ v: UnsafeRawBufferPointer) -> Bool { trim(v).count == 0 }

    @inline(never) @usableFromInline
    static func trimSlow(_ base: UnsafeRawPointer, _ count: Int) -> UnsafeRawBufferPointer {
        let v = UnsafeRawBufferPointer(start: base, count: count)
        var lo = 0
        var hi = v.count
        while lo < hi {
            let n = whiteSpaceLength(v, from: lo, to: hi)
            if n == 0 { break }
            lo += n
        }
        while hi > lo {
            let n = whiteSpaceLength(v, endingAt: hi, from: lo)
            if n == 0 { break }
            hi -= n
        }
        return UnsafeRawBufferPointer(start: base + lo, count: hi - lo)
    }

    /// The UTF-8 length of the white space character starting at `i`, or 0.
    static func whiteSpaceLength(_ v: UnsafeRawBufferPointer, from i: Int, to end: Int) -> Int {
        let c = v[i]
        if c == 0x20 || (c >= 0x09 && c <= 0x0D) { return 1 }
        if c == 0xC2, i + 1 < end { return v[i + 1] == 0x85 || v[i + 1] == 0xA0 ? 2 : 0 }
        guard i + 2 < end else { return 0 }
        return isWhiteSpace3(c, v[i + 1], v[i + 2]) ? 3 : 0
    }

    /// The UTF-8 length of the white space character ending just before
    /// `end` (and starting at or after `start`), or 0.
    static func whiteSpaceLength(_ v: UnsafeRawBufferPointer, endingAt end: Int, from start: Int) -> Int {
        let c = v[end - 1]
        if c == 0x20 || (c >= 0x09 && c <= 0x0D) { return 1 }
        if (c == 0x85 || c == 0xA0), end - 2 >= start, v[end - 2] == 0xC2 { return 2 }
        guard end - 3 >= start else { return 0 }
        return isWhiteSpace3(v[end - 3], v[end - 2], c) ? 3 : 0
    }

    /// The three-byte white space characters: U+1680, U+2000-U+200A,
    /// U+2028, U+2029, U+202F, U+205F, U+3000.
    @inline(__always)
    private static func isWhiteSpace3(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        switch (a, b) {
        case (0xE1, 0x9A): return c == 0x80
        case (0xE2, 0x80): return (c >= 0x80 && c <= 0x8A) || c == 0xA8 || c == 0xA9 || c == 0xAF
        case (0xE2, 0x81): return c == 0x9F
        case (0xE3, 0x80): return c == 0x80
        default: return false
        }
    }

    /// Unicode code points in valid UTF-8: every byte that is not a continuation.
    package static func codePointCount(_ v: UnsafeRawBufferPointer) -> Int {
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

    /// Byte order by `memcmp`: `String`'s own comparison, even on its UTF-8
    /// view, costs more than listing a folder.
    package static func less(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                guard let xs = x.baseAddress, let ys = y.baseAddress else { return x.count < y.count }
                let c = memcmp(xs, ys, min(x.count, y.count))
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
    }

    package static func string(_ v: UnsafeRawBufferPointer) -> String {
        String(decoding: v, as: UTF8.self)
    }
}

/// The values of one record, indexed by the schema's field order, trimmed.
/// An empty value is a missing value. The bytes belong to the reader (CSV
/// buffer or XML record arena) and are valid only while the record is checked.
public struct FieldValues {
    @usableFromInline var slots: UnsafeMutableBufferPointer<UnsafeRawBufferPointer>

    package init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Values that live in memory of another's (the CSV reader's fields),
    /// never deallocated through this view.
    @usableFromInline package init(viewing slots: UnsafeMutableBufferPointer<UnsafeRawBufferPointer>) {
        self.slots = slots
    }

    package func deallocate() { slots.deallocate() }

    @inlinable @inline(__always)
    public subscript(_ field: Int) -> UnsafeRawBufferPointer {
        get { slots[field] }
        nonmutating set { slots[field] = Bytes.trim(newValue) }
    }
}

extension FieldValues {
    /// `values` as one record's fields, for `body` to check while it runs
    /// (the synthetic generator's own check of a record it made).
    package static func with<R>(_ values: [String], _ body: (FieldValues) throws -> R) rethrows -> R {
        var joined: [UInt8] = []
        var spans: [Range<Int>] = []
        for value in values {
            let start = joined.count
            joined += value.utf8
            spans.append(start..<joined.count)
        }
        let fields = FieldValues(count: values.count)
        defer { fields.deallocate() }
        return try joined.withUnsafeBytes { all in
            for (i, span) in spans.enumerated() { fields[i] = UnsafeRawBufferPointer(rebasing: all[span]) }
            return try body(fields)
        }
    }
}
