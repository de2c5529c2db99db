import SystemZlib

/// Inflates a gzip stream (RFC 1952) from another source, member after
/// member, counting what it produces against a size limit as it goes.
///
/// zlib's `inflate` stops at the end of the first member, so the loop resets
/// it whenever more input follows (`gzip -c a b > ab.gz` is one valid file).
/// Anything after a member that is not another member is corruption.
public final class GzipSource: ByteSource {
    private let input: ByteSource
    private let stream: UnsafeMutablePointer<z_stream>
    private let inBuffer: UnsafeMutableRawBufferPointer
    private let limit: Int
    private var produced = 0
    private var inputEnded = false
    private var finished = false
    /// True between members: the next input must start a new member.
    private var atMemberBoundary = false
    /// Whether `inflateInit2_` succeeded. Whatever happens in `init`,
    /// `deinit` alone frees (throwing after every property is set runs it).
    private let started: Bool

    public init(input: ByteSource, limit: Int, chunkSize: Int = 1 << 14) throws(InputError) {
        self.input = input
        // One byte past the limit is counted: keep that sum in range.
        self.limit = max(0, min(limit, Int.max - (1 << 20)))
        // zlib keeps pointers into the z_stream, so it must never move.
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        inBuffer = .allocate(byteCount: chunkSize, alignment: 16)
        // 15 window bits + 16: gzip wrapper only.
        let rc = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        started = rc == Z_OK
        guard started else { throw .gzip("zlib could not start (code \(rc))") }
    }

    deinit {
        if started { inflateEnd(stream) }
        stream.deallocate()
        inBuffer.deallocate()
    }

    /// Decompressed bytes produced so far.
    public var decompressedBytes: Int { produced }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        // Never hand out more than the limit allows plus one byte: one byte
        // over is enough to know the file is too large.
        let room = min(buffer.count, limit - produced + 1)
        stream.pointee.next_out = out.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(room)
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 && !inputEnded {
                let n = try input.read(into: inBuffer)
                if n == 0 {
                    inputEnded = true
                } else {
                    stream.pointee.next_in = inBuffer.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_in = uInt(n)
                }
            }
            if atMemberBoundary {
                if stream.pointee.avail_in == 0 {
                    if inputEnded { finished = true; break }
                    continue
                }
                atMemberBoundary = false
            }
            if stream.pointee.avail_in == 0 && inputEnded {
                throw .gzip("the gzip stream is truncated: it ends in the middle of compressed data (was the upload complete?)")
            }
            let rc = inflate(stream, Z_NO_FLUSH)
            switch rc {
            case Z_OK:
                continue
            case Z_STREAM_END:
                // Another member may follow; only input can tell.
                if inflateReset(stream) != Z_OK { throw .gzip("zlib could not restart after a member") }
                atMemberBoundary = true
            case Z_BUF_ERROR:
                // No progress possible: needs input we do not have.
                if inputEnded {
                    throw .gzip("the gzip stream is truncated: it ends in the middle of compressed data (was the upload complete?)")
                }
            case Z_DATA_ERROR:
                let why = stream.pointee.msg.map { String(cString: $0) } ?? "corrupt data"
                throw .gzip("the gzip stream is corrupt (\(why)) after \(produced + room - Int(stream.pointee.avail_out)) decompressed bytes; compress the file again")
            case Z_MEM_ERROR:
                throw .gzip("zlib ran out of memory")
            default:
                throw .gzip("zlib failed with code \(rc)")
            }
        }
        let n = room - Int(stream.pointee.avail_out)
        produced += n
        if produced > limit { throw .tooLarge(limit: limit) }
        return n
    }
}
