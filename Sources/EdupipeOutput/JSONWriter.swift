/// Builds JSON text by hand: the outputs are flat and their key order is
/// part of their byte-for-byte determinism, which a generic encoder does not
/// promise.
///
/// The text is gathered as UTF-8 bytes and made a `String` once, when it is
/// read: appending to a `String` piece by piece, and quoting scalar by
/// scalar, made a receipt cost about 150,000 instructions (8% of the upload
/// service's), and a log line 50,000.
public struct JSONWriter {
    private var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    public init() {
        bytes.reserveCapacity(512)
    }

    /// The JSON written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func key(_ key: String?) {
        separator()
        if let key {
            Self.appendQuoted(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    public mutating func beginObject(key: String? = nil) { open(UInt8(ascii: "{"), key) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray(key: String? = nil) { open(UInt8(ascii: "["), key) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8, _ key: String?) {
        self.key(key)
        bytes.append(bracket)
        needsComma.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        needsComma.removeLast()
        bytes.append(bracket)
    }

    /// `raw` as it is: a number or a literal the caller has written.
    public mutating func value(_ key: String? = nil, _ raw: String) {
        self.key(key)
        bytes.append(contentsOf: raw.utf8)
    }

    public mutating func string(_ key: String? = nil, _ s: String?) {
        self.key(key)
        if let s { Self.appendQuoted(s, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    public mutating func int(_ key: String? = nil, _ n: Int?) {
        self.key(key)
        guard let n else { return bytes.append(contentsOf: "null".utf8) }
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        var v = n.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        } while v > 0
        bytes[start...].reverse()
    }

    public mutating func bool(_ key: String? = nil, _ b: Bool) {
        self.key(key)
        bytes.append(contentsOf: (b ? "true" : "false").utf8)
    }

    /// `s` as a JSON string, quotes included.
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` quoted: `"` and `\` escaped, control characters as
    /// `\n`, `\r`, `\t` or `\u00XX`, every other byte as it is (a byte of a
    /// multi-byte character is never below 0x80, so none is escaped).
    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let text = s.utf8
        // Most texts need no escape: copied whole. The check runs on the
        // string's own storage when it has one (a native string always
        // does): through the view's iterator it cost several times more.
        func plain(_ bytes: some Sequence<UInt8>) -> Bool {
            for b in bytes where b < 0x20 || b == 0x22 || b == 0x5C { return false }
            return true
        }
        if text.withContiguousStorageIfAvailable(plain) ?? plain(text) {
            out.append(contentsOf: text)
        } else {
            for b in text {
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 15)]])
                default: out.append(b)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
