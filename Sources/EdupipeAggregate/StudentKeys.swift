import Crypto
import EdupipeSupport

/// A child's keyed hash: the 32 bytes of HMAC-SHA256, as four words so a
/// key is stored and compared without an allocation.
public struct StudentKey: Hashable, Sendable, Comparable {
    let digest: Digest256

    /// The first 32 bytes, as big-endian words (fewer are zeros).
    init(_ mac: some Sequence<UInt8>) { digest = Digest256(mac) }

    init(digest: Digest256) { self.digest = digest }

    /// The first 16 hex digits, as written to `duplicates.csv`.
    public var shortHex: String {
        let h = String(digest.words.0, radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h
    }

    public static func < (a: StudentKey, b: StudentKey) -> Bool { a.digest < b.digest }
}

/// Turns resident IDs into keyed hashes (HMAC-SHA256 with the installation's
/// secret): children are matched across counties by these keys, and only
/// these keys (shortened) are ever written.
///
/// Shared by the worker threads: it is never changed.
///
/// HMAC (RFC 2104) is spelled out over SHA-256's block function, with the
/// inner and outer states keyed once: an 18-character ID then costs two
/// blocks, one for the inner hash (the ID and its padding) and one for the
/// outer (the inner digest and its padding), with no allocation. The same
/// bytes as Crypto's `HMAC<SHA256>` (`StudentKeysTests`), whose generic path
/// cost about a microsecond and a half a child, and Crypto's `SHA256`
/// copied and finished by hand about 11,700 instructions (four heap copies
/// of its context and two arrays a child).
public struct StudentKeys: Sendable {
    /// SHA-256's state after the block (key ⊕ ipad), and after (key ⊕ opad).
    private let inner: SIMD8<UInt32>
    private let outer: SIMD8<UInt32>

    public init(secret: [UInt8]) {
        // A key longer than the block is hashed first; shorter ones are
        // padded with zeros to the 64-byte block.
        var block = secret.count > 64 ? Array(SHA256.hash(data: secret)) : secret
        block += [UInt8](repeating: 0, count: 64 - block.count)
        inner = SHA256Block.compress(SHA256Block.initial, SHA256Block.words(block.map { $0 ^ 0x36 }))
        outer = SHA256Block.compress(SHA256Block.initial, SHA256Block.words(block.map { $0 ^ 0x5C }))
    }

    /// The HMAC of the canonical 18-character ID (check character `X` upper
    /// case) whose numeric form `ValueParsers.residentID` produced.
    public func key(forNumericID id: UInt64) -> StudentKey {
        // The 18 characters, big-endian into the block's first words
        // (character c in word c / 4), then the padding's first byte.
        var block = SIMD16<UInt32>(repeating: 0)
        var body = id / 11
        for c in stride(from: 16, through: 0, by: -1) {
            block[c &>> 2] |= (0x30 | UInt32(truncatingIfNeeded: body % 10)) &<< UInt32(8 * (3 - (c & 3)))
            body /= 10
        }
        let check = id % 11
        block[4] |= (check == 10 ? 0x58 : 0x30 + UInt32(check)) << 16 | 0x8000
        // The message's length in bits: the keyed block and 18 bytes.
        block[15] = (64 + 18) * 8
        // The outer block: the inner digest, the padding's first byte, and
        // the length in bits of the keyed block and 32 bytes.
        let second = SIMD16(lowHalf: SHA256Block.compress(inner, block),
                            highHalf: SIMD8<UInt32>(0x8000_0000, 0, 0, 0, 0, 0, 0, (64 + 32) * 8))
        let mac = SHA256Block.compress(outer, second)
        func word(_ i: Int) -> UInt64 { UInt64(mac[2 * i]) << 32 | UInt64(mac[2 * i + 1]) }
        return StudentKey(digest: Digest256(words: (word(0), word(1), word(2), word(3))))
    }
}

/// SHA-256's block function (FIPS 180-4, section 6.2.2) on one 64-byte
/// block given as sixteen big-endian words: what `StudentKeys` needs of
/// SHA-256 once its two keyed states are made.
enum SHA256Block {
    static let initial = SIMD8<UInt32>(0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A,
                                       0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19)

    static let k: [UInt32] = [
        0x428A_2F98, 0x7137_4491, 0xB5C0_FBCF, 0xE9B5_DBA5, 0x3956_C25B, 0x59F1_11F1, 0x923F_82A4, 0xAB1C_5ED5,
        0xD807_AA98, 0x1283_5B01, 0x2431_85BE, 0x550C_7DC3, 0x72BE_5D74, 0x80DE_B1FE, 0x9BDC_06A7, 0xC19B_F174,
        0xE49B_69C1, 0xEFBE_4786, 0x0FC1_9DC6, 0x240C_A1CC, 0x2DE9_2C6F, 0x4A74_84AA, 0x5CB0_A9DC, 0x76F9_88DA,
        0x983E_5152, 0xA831_C66D, 0xB003_27C8, 0xBF59_7FC7, 0xC6E0_0BF3, 0xD5A7_9147, 0x06CA_6351, 0x1429_2967,
        0x27B7_0A85, 0x2E1B_2138, 0x4D2C_6DFC, 0x5338_0D13, 0x650A_7354, 0x766A_0ABB, 0x81C2_C92E, 0x9272_2C85,
        0xA2BF_E8A1, 0xA81A_664B, 0xC24B_8B70, 0xC76C_51A3, 0xD192_E819, 0xD699_0624, 0xF40E_3585, 0x106A_A070,
        0x19A4_C116, 0x1E37_6C08, 0x2748_774C, 0x34B0_BCB5, 0x391C_0CB3, 0x4ED8_AA4A, 0x5B9C_CA4F, 0x682E_6FF3,
        0x748F_82EE, 0x78A5_636F, 0x84C8_7814, 0x8CC7_0208, 0x90BE_FFFA, 0xA450_6CEB, 0xBEF9_A3F7, 0xC671_78F2,
    ]

    /// Sixteen big-endian words of 64 bytes.
    static func words(_ bytes: [UInt8]) -> SIMD16<UInt32> {
        var w = SIMD16<UInt32>(repeating: 0)
        for i in 0..<16 {
            w[i] = UInt32(bytes[4 * i]) << 24 | UInt32(bytes[4 * i + 1]) << 16
                | UInt32(bytes[4 * i + 2]) << 8 | UInt32(bytes[4 * i + 3])
        }
        return w
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x &>> n | x &<< (32 &- n) }

    /// One round. The eight working words are not shifted along: the
    /// caller names them in turn (`h` becomes the new `a`, `d` the new `e`).
    @inline(__always)
    private static func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                              _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32) {
        let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ (g ^ (e & (f ^ g))) &+ kw
        let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) | (c & (a | b)))
        d = d &+ t1
        h = t1 &+ t2
    }

    /// The schedule's next word in the place of the word sixteen back.
    @inline(__always)
    private static func expand(_ w: inout UInt32, _ w1: UInt32, _ w9: UInt32, _ w14: UInt32) {
        w = w &+ (rotr(w1, 7) ^ rotr(w1, 18) ^ (w1 &>> 3)) &+ w9 &+ (rotr(w14, 17) ^ rotr(w14, 19) ^ (w14 &>> 10))
    }

    /// The state after one more block. The schedule is sixteen words in
    /// sixteen variables, rewritten in place before each sixteen rounds
    /// (a vector indexed by the round kept them in memory, at three times
    /// the instructions).
    static func compress(_ state: SIMD8<UInt32>, _ block: SIMD16<UInt32>) -> SIMD8<UInt32> {
        var w0 = block[0], w1 = block[1], w2 = block[2], w3 = block[3]
        var w4 = block[4], w5 = block[5], w6 = block[6], w7 = block[7]
        var w8 = block[8], w9 = block[9], w10 = block[10], w11 = block[11]
        var w12 = block[12], w13 = block[13], w14 = block[14], w15 = block[15]
        var a = state[0], b = state[1], c = state[2], d = state[3]
        var e = state[4], f = state[5], g = state[6], h = state[7]
        var t = 0
        while true {
            round(a, b, c, &d, e, f, g, &h, k[t &+ 0] &+ w0)
            round(h, a, b, &c, d, e, f, &g, k[t &+ 1] &+ w1)
            round(g, h, a, &b, c, d, e, &f, k[t &+ 2] &+ w2)
            round(f, g, h, &a, b, c, d, &e, k[t &+ 3] &+ w3)
            round(e, f, g, &h, a, b, c, &d, k[t &+ 4] &+ w4)
            round(d, e, f, &g, h, a, b, &c, k[t &+ 5] &+ w5)
            round(c, d, e, &f, g, h, a, &b, k[t &+ 6] &+ w6)
            round(b, c, d, &e, f, g, h, &a, k[t &+ 7] &+ w7)
            round(a, b, c, &d, e, f, g, &h, k[t &+ 8] &+ w8)
            round(h, a, b, &c, d, e, f, &g, k[t &+ 9] &+ w9)
            round(g, h, a, &b, c, d, e, &f, k[t &+ 10] &+ w10)
            round(f, g, h, &a, b, c, d, &e, k[t &+ 11] &+ w11)
            round(e, f, g, &h, a, b, c, &d, k[t &+ 12] &+ w12)
            round(d, e, f, &g, h, a, b, &c, k[t &+ 13] &+ w13)
            round(c, d, e, &f, g, h, a, &b, k[t &+ 14] &+ w14)
            round(b, c, d, &e, f, g, h, &a, k[t &+ 15] &+ w15)
            t &+= 16
            if t == 64 { break }
            expand(&w0, w1, w9, w14)
            expand(&w1, w2, w10, w15)
            expand(&w2, w3, w11, w0)
            expand(&w3, w4, w12, w1)
            expand(&w4, w5, w13, w2)
            expand(&w5, w6, w14, w3)
            expand(&w6, w7, w15, w4)
            expand(&w7, w8, w0, w5)
            expand(&w8, w9, w1, w6)
            expand(&w9, w10, w2, w7)
            expand(&w10, w11, w3, w8)
            expand(&w11, w12, w4, w9)
            expand(&w12, w13, w5, w10)
            expand(&w13, w14, w6, w11)
            expand(&w14, w15, w7, w12)
            expand(&w15, w0, w8, w13)
        }
        return state &+ SIMD8(a, b, c, d, e, f, g, h)
    }
}
