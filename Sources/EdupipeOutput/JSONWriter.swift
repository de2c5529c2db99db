/// Builds JSON text by hand: the outputs are flat and their key order is
/// part of their byte-for-byte determinism, which a generic encoder does not
/// promise.
///
/// The text is gathered in a `TextBuffer` (its quoting and numbers, the same
/// as the tables' JSON) and made a `String` once, when it is read:
/// appending to a `String` piece by piece, and quoting scalar by scalar,
/// made a receipt cost about 150,000 instructions (8% of the upload
/// service's), and a log line 50,000.
public struct JSONWriter: ~Copyable {
    private var buffer = TextBuffer(capacity: 512)
    private var needsComma: [Bool] = [false]

    public init() {}

    /// The JSON written so far.
    public var text: String { String(decoding: buffer.bytes, as: UTF8.self) }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { buffer.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func key(_ key: String?) {
        separator()
        if let key {
            buffer.jsonString(key)
            buffer.append(UInt8(ascii: ":"))
        }
    }

    public mutating func beginObject(key: String? = nil) { open(UInt8(ascii: "{"), key) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray(key: String? = nil) { open(UInt8(ascii: "["), key) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8, _ key: String?) {
        self.key(key)
        buffer.append(bracket)
        needsComma.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        needsComma.removeLast()
        buffer.append(bracket)
    }

    /// `raw` as it is: a number or a literal the caller has written.
    public mutating func value(_ key: String? = nil, _ raw: String) {
        self.key(key)
        buffer.append(raw)
    }

    public mutating func string(_ key: String? = nil, _ s: String?) {
        self.key(key)
        buffer.jsonString(s)
    }

    public mutating func int(_ key: String? = nil, _ n: Int?) {
        self.key(key)
        if let n { buffer.appendInt(n) } else { buffer.append("null" as StaticString) }
    }

    public mutating func bool(_ key: String? = nil, _ b: Bool) {
        self.key(key)
        buffer.append(b ? "true" as StaticString : "false" as StaticString)
    }
}
