/// A message of the plan in Chinese and English, with placeholders in
/// braces filled in when a file breaks the rule: `{participants}` (a field
/// of the record, a resident ID masked), `{field}`, `{value}`, `{first}`
/// (the line of the earlier duplicate), `{county}`, `{words}`, `{min}`,
/// `{max}`, `{length}`. Checked when the plan loads: a placeholder that
/// names nothing is an error with its place.
public struct MessageTemplate: Sendable {
    enum Part: Sendable {
        case literal(String)
        /// A field of the record, by index, as its value reads.
        case field(Int)
        case special(Special)
    }

    enum Special: String, Sendable, CaseIterable {
        /// The field's name.
        case field
        /// The field's value, quoted, at most 40 characters.
        case value
        /// The field's value as written.
        case raw
        /// A resident ID masked.
        case masked
        /// The line where a duplicate key was first seen.
        case first
        /// The file's county.
        case county
        /// An enumeration's words.
        case words
        case min, max
        /// The value's length in characters.
        case length
        /// The integer value.
        case number
        /// What the field is, in words (from the type's messages).
        case what
        /// The value as it was meant, when a spreadsheet changed it (the
        /// date behind a serial number, ASCII digits for full-width ones).
        case fixed
        // File-level messages.
        /// A column of the header, the dataset, the columns it needs.
        case column, dataset, columns
        /// A record's number of fields, and the header's.
        case count, width
        /// A line of the file, and a limit in bytes.
        case line, limit
        /// The file's name, the plan's datasets, why a reader stopped, what
        /// was expected and what was given.
        case file, datasets, why, expected, given
    }

    let zh: [Part]
    let en: [Part]
    /// The texts as written, for the format guide.
    public let source: DisplayName

    /// The parts of one text: literal runs and placeholders.
    /// Works on Unicode scalars: a plan's messages are mostly Chinese, and
    /// a `Character` walk would find grapheme boundaries at every step. The
    /// column of an error counts scalars, as the YAML parser's do.
    static func parse(_ text: String, fields: [String], place: (source: String, line: Int?, column: Int?)) throws(PlanError) -> [Part] {
        let scalars = text.unicodeScalars
        var parts: [Part] = []
        var rest = scalars.startIndex
        while let open = scalars[rest...].firstIndex(of: "{") {
            guard let close = scalars[open...].firstIndex(of: "}") else {
                throw PlanError(source: place.source, line: place.line, column: place.column, "a \"{\" is not closed in the message \"\(text)\"")
            }
            if rest < open { parts.append(.literal(String(scalars[rest..<open]))) }
            let name = String(scalars[scalars.index(after: open)..<close])
            if let i = fields.firstIndex(of: name) {
                parts.append(.field(i))
            } else if let s = Special(rawValue: name) {
                parts.append(.special(s))
            } else {
                let offset = scalars.distance(from: scalars.startIndex, to: open)
                throw PlanError(source: place.source, line: place.line, column: place.column.map { $0 + offset + 1 },
                                "{\(name)} names nothing: a message can show the record's fields (\(fields.joined(separator: ", "))) or \(Special.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", "))")
            }
            rest = scalars.index(after: close)
        }
        if rest < scalars.endIndex { parts.append(.literal(String(scalars[rest...]))) }
        return parts
    }

    init(zh: [Part], en: [Part], source: DisplayName) {
        self.zh = zh
        self.en = en
        self.source = source
    }

    /// The message in `language` with the placeholders in `values`.
    func render(_ language: Language, _ values: [Special: String]) -> String {
        render(language) { part in
            if case .special(let s) = part { return values[s] ?? "" }
            return ""
        }
    }

    /// The message in `language`, each placeholder filled by `fill`.
    func render(_ language: Language, _ fill: (Part) -> String) -> String {
        var s = ""
        for part in language == .zh ? zh : en {
            if case .literal(let text) = part { s += text } else { s += fill(part) }
        }
        return s
    }
}
