/// The workbook's shared strings: the words that repeat down a column
/// (dataset and status labels, error codes, province and prefecture
/// names). Each such cell then holds a short index instead of the text,
/// which keeps the big sheets a fifth smaller, and the deflating of them,
/// the slowest part of the workbook, as much quicker. Other text stays
/// inline: file names and messages do not repeat, and the table is fixed
/// before any sheet is written, so nothing grows while sheets stream.
struct SharedStrings {
    private(set) var strings: [String] = []
    private var index: [Bytewise: Int] = [:]
    /// The longest shared text in bytes: longer texts (messages, paths)
    /// skip the lookup.
    private var longest = 0

    init(registry: Registry, config: PipelineConfig) {
        for d in Dataset.allCases { add(config.name(of: d).both) }
        for s in SubmissionStatus.allCases { add(StatusText.file(s)) }
        for c in IssueCode.allCases { add(c.rawValue) }
        for code in registry.provinces + registry.prefectures { add(registry.units[code]?.name ?? "") }
    }

    private mutating func add(_ s: String) {
        let text = FormulaGuard.neutralised(s)
        guard !text.isEmpty, index[Bytewise(text)] == nil else { return }
        index[Bytewise(text)] = strings.count
        longest = max(longest, text.utf8.count)
        strings.append(text)
    }

    /// The index of an already neutralised text, if it is shared.
    func position(of text: String) -> Int? {
        text.utf8.count <= longest ? index[Bytewise(text)] : nil
    }

    /// A text hashed and compared by its UTF-8 bytes. `String` normalises
    /// non-ASCII text (NFC) to hash or compare it, which cost more than
    /// writing the cell: the lookup runs for every text cell of the sheets.
    private struct Bytewise: Hashable {
        let text: String
        init(_ text: String) { self.text = text }
        static func == (a: Bytewise, b: Bytewise) -> Bool {
            a.text.utf8.count == b.text.utf8.count && a.text.utf8.elementsEqual(b.text.utf8)
        }
        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
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
