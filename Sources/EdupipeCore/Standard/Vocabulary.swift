/// A closed list of words of the standard (stages, statuses, reasons), in
/// the order the standard lists them. Matching is exact and case-sensitive.
/// Cases are numbered from 0; `word` is a `switch`, so matching touches no
/// array and allocates nothing.
protocol Vocabulary: RawRepresentable<Int> {
    var word: StaticString { get }
}

extension Vocabulary {
    @inline(__always)
    static func match(_ v: UnsafeRawBufferPointer) -> Self? {
        var i = 0
        while let candidate = Self(rawValue: i) {
            if Bytes.equals(v, candidate.word) { return candidate }
            i += 1
        }
        return nil
    }

    /// The words joined for a message: "primary, junior, senior".
    static var wordList: String {
        var words: [String] = []
        var i = 0
        while let candidate = Self(rawValue: i) {
            words.append("\(candidate.word)")
            i += 1
        }
        return words.joined(separator: ", ")
    }
}
