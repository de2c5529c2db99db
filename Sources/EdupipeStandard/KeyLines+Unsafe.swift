// The uniqueness rule's memory: the key table (`KeyLines`) and the
// fingerprint of a key of several values (`KeyFingerprint`).
#if canImport(Glibc)
import Glibc
#endif

/// The keys of one file seen so far, each with the line it was first seen
/// on, for the uniqueness rules (`E_DUPLICATE_KEY`): 12 bytes a slot and
/// one bit.
///
/// Open addressing with linear probing and a multiplicative hash: keys are
/// ID numbers or fingerprints, so one multiply spreads them well, and no
/// per-process seed or SipHash round is paid per record.
///
/// Which slots are taken is a bitmap, the only memory that starts zeroed:
/// the keys and lines are written before they are read. Zeroing 4,096
/// slots of keys and lines was 48 KB per file, 400 MB on a national night
/// and 3.4% of its instructions; the bitmap is 512 bytes.
///
/// The slots live in `malloc`ed memory that doubles with `realloc` and is
/// rehashed in place: a large table is remapped by the kernel rather than
/// copied, so a file of millions of keys peaks at the table's size, not at
/// one and a half times it.
struct KeyLines {
    private let initialSize: Int
    /// Frees the slots when the last copy of the table goes.
    private var owner: Storage?
    /// The slots themselves, reached without touching `owner`: a class
    /// reference used per insert costs a retain and a release per record.
    private var state: UnsafeMutablePointer<State>?

    private struct State {
        var keys: UnsafeMutablePointer<UInt64>
        var lines: UnsafeMutablePointer<UInt32>
        /// One bit per slot: set when the slot holds a key.
        var taken: UnsafeMutablePointer<UInt64>
        var size: Int
        var count = 0
    }

    /// The table allocates its `capacity` slots (a power of two at least
    /// 64) on the first insert: a table never used costs nothing.
    init(capacity: Int) {
        initialSize = max(64, capacity.nextPowerOfTwo)
    }

    /// Records `key` at `line`; returns the earlier line if it was seen.
    @inline(__always)
    mutating func insert(_ key: UInt64, line: Int) -> Int? {
        if state == nil {
            let storage = Storage(size: initialSize)
            owner = storage
            state = storage.state
        }
        let state = state.unsafelyUnwrapped
        if (state.pointee.count + 1) * 4 > state.pointee.size * 3 { Self.grow(state) }
        let s = state.pointee
        let mask = s.size - 1
        var i = Self.slot(key, mask)
        while Self.isTaken(s.taken, i) {
            if s.keys[i] == key { return Int(s.lines[i]) }
            i = (i + 1) & mask
        }
        s.keys[i] = key
        s.lines[i] = UInt32(truncatingIfNeeded: max(1, line))
        Self.take(s.taken, i)
        state.pointee.count += 1
        return nil
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    @inline(__always)
    private static func isTaken(_ bits: UnsafeMutablePointer<UInt64>, _ i: Int) -> Bool {
        bits[i &>> 6] & (1 &<< UInt64(i & 63)) != 0
    }

    @inline(__always)
    private static func take(_ bits: UnsafeMutablePointer<UInt64>, _ i: Int) {
        bits[i &>> 6] |= 1 &<< UInt64(i & 63)
    }

    @inline(__always)
    private static func vacate(_ bits: UnsafeMutablePointer<UInt64>, _ i: Int) {
        bits[i &>> 6] &= ~(1 &<< UInt64(i & 63))
    }

    /// Doubles the table in place. Every key is taken out and put back in
    /// cyclic order, starting after an empty slot: no probe chain crosses
    /// an empty slot, so each key's chain then runs only over slots already
    /// redone (or the new half), and every key stays reachable from its new
    /// home.
    @inline(never)
    private static func grow(_ state: UnsafeMutablePointer<State>) {
        let old = state.pointee.size
        let size = old * 2
        guard let keys = realloc(state.pointee.keys, size * MemoryLayout<UInt64>.stride),
              let lines = realloc(state.pointee.lines, size * MemoryLayout<UInt32>.stride),
              let taken = realloc(state.pointee.taken, size / 64 * MemoryLayout<UInt64>.stride) else {
            fatalError("out of memory for \(size) keys")
        }
        let k = keys.assumingMemoryBound(to: UInt64.self)
        let l = lines.assumingMemoryBound(to: UInt32.self)
        let t = taken.assumingMemoryBound(to: UInt64.self)
        // The new half is empty: only its bits need clearing.
        (t + old / 64).initialize(repeating: 0, count: old / 64)
        state.pointee.keys = k
        state.pointee.lines = l
        state.pointee.taken = t
        state.pointee.size = size
        let mask = size - 1
        var empty = 0
        while isTaken(t, empty) { empty += 1 }
        for step in 1...old {
            let i = (empty + step) & (old - 1)
            guard isTaken(t, i) else { continue }
            let key = k[i]
            let line = l[i]
            vacate(t, i)
            var j = slot(key, mask)
            while isTaken(t, j) { j = (j + 1) & mask }
            k[j] = key
            l[j] = line
            take(t, j)
        }
    }

    /// Owns the slots' memory.
    private final class Storage {
        let state: UnsafeMutablePointer<State>

        init(size: Int) {
            state = .allocate(capacity: 1)
            state.initialize(to: State(keys: Self.allocate(UInt64.self, size, zeroed: false),
                                       lines: Self.allocate(UInt32.self, size, zeroed: false),
                                       taken: Self.allocate(UInt64.self, size / 64, zeroed: true), size: size))
        }

        deinit {
            Glibc.free(state.pointee.keys)
            Glibc.free(state.pointee.lines)
            Glibc.free(state.pointee.taken)
            state.deallocate()
        }

        /// Memory for `count` values, zeroed or not; exits like Swift's own
        /// allocation does if there is none.
        private static func allocate<T>(_ type: T.Type, _ count: Int, zeroed: Bool) -> UnsafeMutablePointer<T> {
            let raw = zeroed ? calloc(count, MemoryLayout<T>.stride) : malloc(count * MemoryLayout<T>.stride)
            guard let raw else { fatalError("out of memory for \(count) keys") }
            return raw.assumingMemoryBound(to: T.self)
        }
    }
}

extension Int {
    package var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}

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
