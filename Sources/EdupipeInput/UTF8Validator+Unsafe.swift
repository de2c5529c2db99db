/// Checks that a stream is valid UTF-8, chunk by chunk: a character may be
/// split across two chunks. Rejects overlong forms, surrogates and code
/// points above U+10FFFF, as the Unicode standard does.
package struct UTF8Validator {
    /// Continuation bytes still expected for the current character.
    private var need = 0
    /// The range allowed for the next continuation byte (narrower after
    /// E0, ED, F0 and F4, which is how overlongs and surrogates are refused).
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF

    package init() {}

    /// After `validate` returned false: the offset in that chunk of the
    /// byte that broke the sequence.
    private(set) package var failedAt = 0

    /// True when the stream so far ends on a character boundary.
    package var atBoundary: Bool { need == 0 }

    /// The same over an array or a slice of one (the registry, a mask's
    /// candidate character).
    package mutating func validate(_ bytes: ArraySlice<UInt8>) -> Bool { bytes.withUnsafeBytes { validate($0) } }

    package mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var i = 0
        while i < count {
            if need == 0 {
                // ASCII runs are by far the common case: 32 bytes per test,
                // then 8.
                while i + 32 <= count {
                    let w = (base + i).loadUnaligned(as: UInt64.self) | (base + i + 8).loadUnaligned(as: UInt64.self)
                        | (base + i + 16).loadUnaligned(as: UInt64.self) | (base + i + 24).loadUnaligned(as: UInt64.self)
                    if w & 0x8080_8080_8080_8080 != 0 { break }
                    i += 32
                }
                while i + 8 <= count,
                      (base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                if i >= count { break }
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                i += 1
                switch b {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: need = 1; low = 0x80; high = 0xBF
                case 0xE0: need = 2; low = 0xA0; high = 0xBF
                case 0xE1...0xEC, 0xEE...0xEF: need = 2; low = 0x80; high = 0xBF
                case 0xED: need = 2; low = 0x80; high = 0x9F
                case 0xF0: need = 3; low = 0x90; high = 0xBF
                case 0xF1...0xF3: need = 3; low = 0x80; high = 0xBF
                case 0xF4: need = 3; low = 0x80; high = 0x8F
                default: failedAt = i - 1; return false
                }
            } else {
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                i += 1
                guard b >= low && b <= high else { failedAt = i - 1; return false }
                need -= 1
                low = 0x80
                high = 0xBF
            }
        }
        return true
    }
}
