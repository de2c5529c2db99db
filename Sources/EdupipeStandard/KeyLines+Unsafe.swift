#if canImport(Glibc)
import Glibc
#endif

/// The keys of one file seen so far, each with the line it was first seen
/// on, for the uniqueness rules (`E_DUPLICATE_KEY`): 12 bytes a slot.
///
/// Open addressing with linear probing and a multiplicative hash: keys are
/// ID numbers or fingerprints, so one multiply spreads them well, and no
/// per-process seed or SipHash round is paid per record.
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
        /// 0 marks an empty slot: lines start at 1.
        var lines: UnsafeMutablePointer<UInt32>
        var size: Int
        var count = 0
    }

    /// The table allocates its `capacity` slots (a power of two at least
    /// 16) on the first insert: a table never used costs nothing.
    init(capacity: Int) {
        initialSize = max(16, capacity.nextPowerOfTwo)
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
        while s.lines[i] != 0 {
            if s.keys[i] == key { return Int(s.lines[i]) }
            i = (i + 1) & mask
        }
        s.keys[i] = key
        s.lines[i] = UInt32(truncatingIfNeeded: max(1, line))
        state.pointee.count += 1
        return nil
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
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
              let lines = realloc(state.pointee.lines, size * MemoryLayout<UInt32>.stride) else {
            fatalError("out of memory for \(size) keys")
        }
        let k = keys.assumingMemoryBound(to: UInt64.self)
        let l = lines.assumingMemoryBound(to: UInt32.self)
        (k + old).initialize(repeating: 0, count: old)
        (l + old).initialize(repeating: 0, count: old)
        state.pointee.keys = k
        state.pointee.lines = l
        state.pointee.size = size
        let mask = size - 1
        var empty = 0
        while l[empty] != 0 { empty += 1 }
        for step in 1...old {
            let i = (empty + step) & (old - 1)
            let line = l[i]
            guard line != 0 else { continue }
            let key = k[i]
            l[i] = 0
            var j = slot(key, mask)
            while l[j] != 0 { j = (j + 1) & mask }
            k[j] = key
            l[j] = line
        }
    }

    /// Owns the slots' memory.
    private final class Storage {
        let state: UnsafeMutablePointer<State>

        init(size: Int) {
            state = .allocate(capacity: 1)
            state.initialize(to: State(keys: Self.allocate(UInt64.self, size), lines: Self.allocate(UInt32.self, size), size: size))
        }

        deinit {
            free(state.pointee.keys)
            free(state.pointee.lines)
            state.deallocate()
        }

        /// Zeroed memory for `count` values; exits like Swift's own
        /// allocation does if there is none.
        private static func allocate<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
            guard let raw = calloc(count, MemoryLayout<T>.stride) else { fatalError("out of memory for \(count) keys") }
            return raw.assumingMemoryBound(to: T.self)
        }
    }
}

extension Int {
    package var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
