import SystemZlib

/// The slow twin of `GzipSource`: zlib's `inflate` over a whole gzip stream
/// in memory, member after member, with the standard's reading (section
/// 1.2 and 6): every member whole and checked, nothing after the last one.
/// Only the differential test and the `FuzzGzip` harness use it, to hold
/// igzip's path to zlib's on the same bytes.
public enum GzipReference {
    /// The inflated bytes, or nil when zlib finds the stream corrupt or
    /// truncated (or it holds no member at all). At most `limit` bytes are
    /// produced; past that, nil.
    public static func inflate(_ input: [UInt8], limit: Int = 1 << 26) -> [UInt8]? {
        guard !input.isEmpty else { return nil }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 15)
        var input = input
        let total = input.count
        return input.withUnsafeMutableBufferPointer { inBuf -> [UInt8]? in
            guard let inBase = inBuf.baseAddress else { return nil }
            stream.next_in = inBase
            stream.avail_in = uInt(total)
            while true {
                let (rc, produced): (Int32, Int) = chunk.withUnsafeMutableBufferPointer { c in
                    stream.next_out = c.baseAddress
                    stream.avail_out = uInt(c.count)
                    let rc = SystemZlib.inflate(&stream, Z_NO_FLUSH)
                    return (rc, c.count - Int(stream.avail_out))
                }
                out += chunk[0..<produced]
                if out.count > limit { return nil }
                switch rc {
                case Z_STREAM_END:
                    // Another member may follow; anything else is corrupt.
                    if stream.avail_in == 0 { return out }
                    guard inflateReset(&stream) == Z_OK else { return nil }
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    // No progress possible: the input ended inside a member.
                    if produced == 0 { return nil }
                default:
                    return nil
                }
            }
        }
    }
}
