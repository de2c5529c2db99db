/// A growable byte buffer for writing CSV and JSON text without building a
/// `String` per row: fields are appended as UTF-8, quoted or escaped only
/// when they hold a byte that needs it.
public struct TextBuffer {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    public var count: Int { bytes.count }
    public mutating func clear() { bytes.removeAll(keepingCapacity: true) }

    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ b: UInt8) { bytes.append(b) }

    /// A non-negative or negative integer in decimal, without a `String`.
    public mutating func appendInt(_ n: Int) {
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        var v = n.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[23 - count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            } while v > 0
            bytes.append(contentsOf: d[(24 - count)...])
        }
    }

    /// An RFC 4180 field: quoted when it holds a comma, quote or line break.
    public mutating func csvField(_ s: String?) {
        guard var s else { return }
        s.withUTF8 { u in
            if !u.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                bytes.append(contentsOf: u)
                return
            }
            bytes.append(0x22)
            for b in u {
                if b == 0x22 { bytes.append(0x22) }
                bytes.append(b)
            }
            bytes.append(0x22)
        }
    }

    /// A JSON string literal (or `null`).
    public mutating func jsonString(_ s: String?) {
        guard var s else { return append("null") }
        bytes.append(0x22)
        s.withUTF8 { u in
            for b in u {
                switch b {
                case 0x22: bytes.append(0x5C); bytes.append(0x22)
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: Array("\\u00".utf8))
                    bytes.append(hex[Int(b >> 4)])
                    bytes.append(hex[Int(b & 0xF)])
                default: bytes.append(b)
                }
            }
        }
        bytes.append(0x22)
    }
}
