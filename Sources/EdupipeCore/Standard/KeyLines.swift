/// The keys of one file seen so far, each with the line it was first seen
/// on, for the uniqueness rules (`E_DUPLICATE_KEY`): 12 bytes a key.
struct KeyLines {
    private var firstLine: [UInt64: UInt32] = [:]

    /// Records `key` at `line`; returns the earlier line if it was seen.
    mutating func insert(_ key: UInt64, line: Int) -> Int? {
        if let first = firstLine[key] { return Int(first) }
        firstLine[key] = UInt32(truncatingIfNeeded: line)
        return nil
    }
}
