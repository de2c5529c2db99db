/// The slow twin of `CSVReader`, written from the standard alone (RFC 4180
/// and section 6) in plain safe Swift: a record is fields separated by
/// commas, a field quoted or not, `""` a quote inside quotes; LF or CRLF
/// ends a line; a CR elsewhere outside quotes, text after a closing quote,
/// and a quote left open are errors; a line of only white space outside
/// quotes is blank. Only the differential test and `FuzzCSV` use it.
public enum ReferenceCSV {
    public struct Record: Equatable, Sendable {
        public let line: Int
        public let fields: [[UInt8]]
    }

    public enum Failure: Equatable, Sendable {
        case unterminatedQuote, textAfterQuote, bareCarriageReturn
    }

    /// The records of UTF-8 `text` (a leading BOM dropped), or where it fails.
    public static func read(_ text: [UInt8]) -> (records: [Record], failure: Failure?) {
        var b = text
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        var records: [Record] = []
        var i = 0
        var line = 1
        while i < b.count {
            let start = line
            var fields: [[UInt8]] = []
            var quotedAny = false
            recordLoop: while true {
                var field: [UInt8] = []
                if i < b.count && b[i] == 0x22 {
                    quotedAny = true
                    i += 1
                    while true {
                        guard i < b.count else { return (records, .unterminatedQuote) }
                        if b[i] == 0x22 {
                            if i + 1 < b.count && b[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                            i += 1
                            break
                        }
                        if b[i] == 0x0A { line += 1 }
                        field.append(b[i])
                        i += 1
                    }
                    fields.append(field)
                    if i == b.count { break recordLoop }
                    switch b[i] {
                    case 0x2C: i += 1; continue recordLoop
                    case 0x0A: i += 1; line += 1; break recordLoop
                    case 0x0D where i + 1 < b.count && b[i + 1] == 0x0A: i += 2; line += 1; break recordLoop
                    case 0x0D: return (records, .bareCarriageReturn)
                    default: return (records, .textAfterQuote)
                    }
                } else {
                    while i < b.count && b[i] != 0x2C && b[i] != 0x0A && b[i] != 0x0D { field.append(b[i]); i += 1 }
                    fields.append(field)
                    if i == b.count { break recordLoop }
                    switch b[i] {
                    case 0x2C: i += 1; continue recordLoop
                    case 0x0A: i += 1; line += 1; break recordLoop
                    case 0x0D where i + 1 < b.count && b[i + 1] == 0x0A: i += 2; line += 1; break recordLoop
                    default: return (records, .bareCarriageReturn)
                    }
                }
            }
            // A line of nothing but white space outside quotes is blank.
            if fields.count == 1 && !quotedAny && isWhiteSpaceOnly(fields[0]) { continue }
            records.append(Record(line: start, fields: fields))
        }
        return (records, nil)
    }

    /// Whether UTF-8 `v` holds only characters with the White_Space property.
    public static func isWhiteSpaceOnly(_ v: [UInt8]) -> Bool {
        String(decoding: v, as: UTF8.self).unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }

    /// `v` without white space at either end (Unicode White_Space).
    public static func trimmed(_ v: [UInt8]) -> [UInt8] {
        let scalars = Array(String(decoding: v, as: UTF8.self).unicodeScalars)
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return [] }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[first...last])
        return Array(String(out).utf8)
    }
}
