/// Something that fills caller-owned memory with the next bytes of a stream.
///
/// `read(into:)` returns how many bytes it wrote, 0 only at the end of the
/// stream. Sources own no buffer the caller sees: the caller hands in the
/// space (a CSV buffer, a parser chunk), so bytes are copied at most once.
public protocol ByteSource: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
}
