/// Builds JSON text by hand: the outputs are flat and their key order is
/// part of their byte-for-byte determinism, which a generic encoder does not
/// promise.
public struct JSONWriter {
    public private(set) var text = ""
    private var needsComma: [Bool] = [false]

    public init() {}

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    public mutating func beginObject(key: String? = nil) { open("{", key) }
    public mutating func endObject() { close("}") }
    public mutating func beginArray(key: String? = nil) { open("[", key) }
    public mutating func endArray() { close("]") }

    private mutating func open(_ bracket: String, _ key: String?) {
        separator()
        if let key { text += Self.quote(key) + ":" }
        text += bracket
        needsComma.append(false)
    }

    private mutating func close(_ bracket: String) {
        needsComma.removeLast()
        text += bracket
    }

    public mutating func value(_ key: String? = nil, _ raw: String) {
        separator()
        if let key { text += Self.quote(key) + ":" }
        text += raw
    }

    public mutating func string(_ key: String? = nil, _ s: String?) { value(key, s.map(Self.quote) ?? "null") }
    public mutating func int(_ key: String? = nil, _ n: Int?) { value(key, n.map(String.init) ?? "null") }
    public mutating func bool(_ key: String? = nil, _ b: Bool) { value(key, b ? "true" : "false") }

    public static func quote(_ s: String) -> String {
        // Most texts need no escape: checked on the bytes, then copied whole
        // (scalar by scalar cost 4% of the upload service's time).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + s + "\"" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
