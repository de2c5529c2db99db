/// Builds one CSV line (RFC 4180, LF) as a `String`, for the few places
/// that are not on a hot path; the quoting is `TextBuffer.csvField`'s.
public enum CSVLine {
    public static func make(_ fields: [String?]) -> String {
        var b = TextBuffer(capacity: 256)
        for (i, field) in fields.enumerated() {
            if i > 0 { b.append(UInt8(ascii: ",")) }
            b.csvField(field)
        }
        b.append(0x0A)
        return String(decoding: b.bytes, as: UTF8.self)
    }

    public static func escape(_ field: String) -> String {
        var b = TextBuffer(capacity: field.utf8.count + 8)
        b.csvField(field)
        return String(decoding: b.bytes, as: UTF8.self)
    }
}
