/// Lower-case hexadecimal text of bytes: keys, digests and file hashes.
func encodeHex(_ bytes: [UInt8]) -> String {
    let digits: StaticString = "0123456789abcdef"
    return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
        digits.withUTF8Buffer { d in
            for (i, b) in bytes.enumerated() {
                out[2 * i] = d[Int(b >> 4)]
                out[2 * i + 1] = d[Int(b & 15)]
            }
        }
        return bytes.count * 2
    }
}
