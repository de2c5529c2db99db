/// Something that fills caller-owned memory with the next bytes of a stream.
///
/// `read(into:)` returns how many bytes it wrote, 0 only at the end of the
/// stream. Sources own no buffer the caller sees: the caller hands in the
/// space (a CSV buffer, a parser chunk), so bytes are copied at most once.
public protocol ByteSource: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
}

extension ByteSource {
    /// One read of up to `count` bytes, as an array; empty at the end.
    /// For the few readers that look at a file's first bytes only.
    public func read(upTo count: Int) throws(InputError) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: count)
        var n = 0
        var failure: InputError?
        chunk.withUnsafeMutableBytes { raw in
            do throws(InputError) { n = try read(into: raw) } catch { failure = error }
        }
        if let failure { throw failure }
        chunk.removeSubrange(min(n, count)...)
        return chunk
    }
}
