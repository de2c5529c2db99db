/// The file name in `PUT /api/v1/files/{name}` of `edupipe serve`, as bytes
/// from the request line (here with the other names, so that the name
/// fuzzer covers it): percent-decoded once, and refused before anything is touched when
/// it could name anything but one file in one folder (`..`, `/` or `%2F`,
/// `\`, NUL and other control bytes, a leading dot, which the inbox scan
/// hides, more than 255 bytes, or bytes that are not UTF-8).
public enum UploadName {
    public static let maxBytes = 255

    /// The name, or nil when it is not a plain file name.
    public static func decode(_ raw: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var it = raw.utf8.makeIterator()
        while let b = it.next() {
            if b == UInt8(ascii: "%") {
                guard let h = it.next().flatMap(hexValue), let l = it.next().flatMap(hexValue) else { return nil }
                bytes.append(h << 4 | l)
            } else {
                bytes.append(b)
            }
        }
        guard !bytes.isEmpty, bytes.count <= maxBytes, bytes.first != UInt8(ascii: ".") else { return nil }
        for b in bytes where b < 0x20 || b == 0x7F || b == UInt8(ascii: "/") || b == UInt8(ascii: "\\") || b == UInt8(ascii: "%") {
            return nil
        }
        guard let name = String(validating: bytes, as: UTF8.self) else { return nil }
        return name
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
