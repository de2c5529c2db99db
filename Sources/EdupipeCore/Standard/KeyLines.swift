/// The keys of one file seen so far, each with the line it was first seen
/// on, for the uniqueness rules (`E_DUPLICATE_KEY`): 12 bytes a slot.
///
/// Open addressing with linear probing and a multiplicative hash: keys are
/// ID numbers or fingerprints, so one multiply spreads them well, and no
/// per-process seed or SipHash round is paid per record.
struct KeyLines {
    private var keys: [UInt64]
    /// 0 marks an empty slot: lines start at 1.
    private var lines: [UInt32]
    private var mask: Int
    private var count = 0

    /// The table allocates its `capacity` slots (a power of two at least
    /// 16) on the first insert: a table never used costs nothing.
    init(capacity: Int) {
        keys = []
        lines = []
        mask = max(16, capacity.nextPowerOfTwo) - 1
    }

    /// Records `key` at `line`; returns the earlier line if it was seen.
    mutating func insert(_ key: UInt64, line: Int) -> Int? {
        if (count + 1) * 4 > keys.count * 3 { grow() }
        var slot = Self.slot(key, mask)
        while lines[slot] != 0 {
            if keys[slot] == key { return Int(lines[slot]) }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        lines[slot] = UInt32(truncatingIfNeeded: max(1, line))
        count += 1
        return nil
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldLines = lines
        let size = keys.isEmpty ? mask + 1 : keys.count * 2
        keys = Array(repeating: 0, count: size)
        lines = Array(repeating: 0, count: size)
        mask = size - 1
        for i in oldKeys.indices where oldLines[i] != 0 {
            var slot = Self.slot(oldKeys[i], mask)
            while lines[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[i]
            lines[slot] = oldLines[i]
        }
    }
}

extension Int {
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
