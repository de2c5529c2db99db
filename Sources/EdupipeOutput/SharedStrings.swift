import EdupipeStandard
import EdupipeAggregate

/// The workbook's shared strings: the words that repeat down a column
/// (dataset and status labels, error codes, province and prefecture
/// names). Each such cell then holds a short index instead of the text,
/// which keeps the big sheets a fifth smaller, and the deflating of them,
/// the slowest part of the workbook, as much quicker. Other text stays
/// inline: file names and messages do not repeat, and the table is fixed
/// before any sheet is written, so nothing grows while sheets stream.
struct SharedStrings {
    private(set) var strings: [String] = []
    /// The same texts as bytes, for comparing.
    private var bytes: [[UInt8]] = []
    /// Open addressing over a cheap hash of the bytes; -1 is empty. The
    /// lookup runs for every text cell of the sheets, and `String` would
    /// normalise non-ASCII text (NFC) to hash or compare it, which cost more
    /// than writing the cell.
    private var slots: [Int32] = []
    private var mask = 0
    /// The longest shared text in bytes: longer texts (messages, paths)
    /// skip the lookup.
    private var longest = 0

    init(registry: Registry, config: CompiledPlan) {
        var texts: [String] = []
        for d in config.datasets { texts.append(config.name(of: d).both) }
        for s in SubmissionStatus.allCases { texts.append(StatusText.file(s)) }
        for c in IssueCode.allCases { texts.append(c.rawValue) }
        for code in registry.provinces + registry.prefectures { texts.append(registry.units[code]?.name ?? "") }
        mask = max(16, (texts.count * 4).nextPowerOfTwo) - 1
        slots = Array(repeating: -1, count: mask + 1)
        for s in texts { add(FormulaGuard.neutralised(s)) }
    }

    private mutating func add(_ text: String) {
        guard !text.isEmpty, position(of: text) == nil else { return }
        let u = Array(text.utf8)
        var slot = Int(truncatingIfNeeded: Self.hash(u.span)) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(strings.count)
        longest = max(longest, u.count)
        strings.append(text)
        bytes.append(u)
    }

    /// The index of an already neutralised text, if it is shared.
    func position(of text: String) -> Int? {
        guard text.utf8.count <= longest else { return nil }
        let utf8 = text.utf8Span
        let u = utf8.span
        var slot = Int(truncatingIfNeeded: Self.hash(u)) & mask
        while slots[slot] >= 0 {
            let k = Int(slots[slot])
            if Self.equal(bytes[k], u) { return k }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private static func equal(_ a: [UInt8], _ b: Span<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    /// A fixed hash of the bytes, eight at a time.
    private static func hash(_ u: Span<UInt8>) -> UInt64 {
        var h = UInt64(u.count) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i + 8 <= u.count {
            var word: UInt64 = 0
            for j in 0..<8 { word |= UInt64(u[i + j]) << (8 * UInt64(j)) }
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        while i < u.count {
            h = (h ^ UInt64(u[i])) &* 0xC4CE_B9FE_1A85_EC53
            i += 1
        }
        h ^= h >> 29
        return h &* 0x9E37_79B9_7F4A_7C15 >> 7
    }

    /// `xl/sharedStrings.xml`.
    func write(_ b: inout TextBuffer) {
        b.append(Workbook.xmlDeclaration)
        b.append("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" uniqueCount=\"\(strings.count)\">")
        for s in strings {
            b.append("<si><t>" as StaticString)
            b.markup(s)
            b.append("</t></si>" as StaticString)
        }
        b.append("</sst>" as StaticString)
    }
}
