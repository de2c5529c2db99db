/// A 64-bit fingerprint of a key made of several values (a school's ID and
/// a class's text ID), for the uniqueness rule: 12 bytes a key in
/// `KeyLines`, so even a file of millions of records keeps the check in
/// tens of megabytes. Two different keys share a fingerprint with
/// probability about n²/2⁶⁵ (10⁻¹³ for a county's 1,500 classes), which
/// would only reject a file falsely.
enum KeyFingerprint {
    /// A fixed (seedless) 64-bit hash, so results never vary between runs.
    /// Class IDs are short: up to 8 bytes are read with two overlapping
    /// loads, which the length (mixed in first) keeps unambiguous.
    @inline(__always)
    static func fingerprint(school: UInt64, classID: UnsafeRawBufferPointer) -> UInt64 {
        let n = classID.count
        var h = mix(school ^ 0x9E37_79B9_7F4A_7C15) ^ UInt64(n)
        guard let p = classID.baseAddress else { return mix(h ^ 0xC2B2_AE3D_27D4_EB4F) }
        var i = 0
        while i + 8 <= n {
            h = mix(h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        let left = n - i
        var tail: UInt64 = 0
        if left >= 4 {
            tail = UInt64(p.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                | UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
        } else if left > 0 {
            tail = UInt64(p.load(fromByteOffset: i, as: UInt8.self))
                | UInt64(p.load(fromByteOffset: i + left / 2, as: UInt8.self)) << 8
                | UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self)) << 16
        }
        return mix(h ^ tail ^ 0xC2B2_AE3D_27D4_EB4F)
    }

    /// MurmurHash3's 64-bit finaliser: every input bit affects every output bit.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var k = x &* 0xFF51_AFD7_ED55_8CCD
        k ^= k >> 33
        k = k &* 0xC4CE_B9FE_1A85_EC53
        k ^= k >> 33
        return k
    }
}
