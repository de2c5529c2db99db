/// A closed list of words of the standard (stages, statuses, reasons), in
/// the order the standard lists them. Matching is exact and case-sensitive.
protocol Vocabulary: RawRepresentable<Int>, CaseIterable {
    static var words: [String] { get }
}

extension Vocabulary {
    /// Compares the bytes with each word; the lists are short and the words
    /// differ in length or first byte, so this is a few comparisons.
    @inline(__always)
    static func match(_ v: UnsafeRawBufferPointer) -> Self? {
        var index = 0
        for word in words {
            var w = word
            let equal = w.withUTF8 { u in u.count == v.count && memcmpEqual(u, v) }
            if equal { return Self(rawValue: index) }
            index += 1
        }
        return nil
    }
}

@inline(__always)
private func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeRawBufferPointer) -> Bool {
    for i in 0..<a.count where a[i] != b[i] { return false }
    return true
}
