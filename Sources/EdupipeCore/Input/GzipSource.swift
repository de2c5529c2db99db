import CISAL

/// Inflates a gzip stream (RFC 1952) from another source, member after
/// member, counting what it produces against a size limit as it goes.
///
/// The inflater is ISA-L's igzip (`isal_inflate`), which parses each
/// member's header and checks its CRC-32 and length in about half the
/// instructions zlib takes. It stops at the end of a member, so the loop
/// starts it again whenever more input follows (`gzip -c a b > ab.gz` is one
/// valid file). Anything after a member that is not another member is
/// corruption; so is a stream that ends inside a member.
public final class GzipSource: ByteSource {
    private let input: ByteSource
    /// igzip's state (about 100 KB, with its output window): allocated once
    /// per file, never moved.
    private let state: UnsafeMutablePointer<inflate_state>
    private let inBuffer: UnsafeMutableRawBufferPointer
    private let limit: Int
    private var produced = 0
    private var inputEnded = false
    private var finished = false
    /// True between members: the next input must start a new member.
    private var atMemberBoundary = false

    public init(input: ByteSource, limit: Int, chunkSize: Int = 1 << 14) throws(InputError) {
        self.input = input
        // One byte past the limit is counted: keep that sum in range.
        self.limit = max(0, min(limit, Int.max - (1 << 20)))
        state = .allocate(capacity: 1)
        inBuffer = .allocate(byteCount: chunkSize, alignment: 16)
        Self.start(state)
    }

    deinit {
        state.deallocate()
        inBuffer.deallocate()
    }

    /// A fresh member: the gzip header is parsed, the CRC-32 and length of
    /// the trailer checked.
    private static func start(_ state: UnsafeMutablePointer<inflate_state>) {
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
    }

    /// Decompressed bytes produced so far.
    public var decompressedBytes: Int { produced }

    private static let truncated = "the gzip stream is truncated: it ends in the middle of compressed data (was the upload complete?)"

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        // Never hand out more than the limit allows plus one byte: one byte
        // over is enough to know the file is too large. igzip counts in 32
        // bits: a call never gets more room than that.
        let room = min(buffer.count, limit - produced + 1, Int(UInt32.max))
        state.pointee.next_out = out.assumingMemoryBound(to: UInt8.self)
        state.pointee.avail_out = UInt32(room)
        while state.pointee.avail_out > 0 {
            if state.pointee.avail_in == 0 && !inputEnded {
                let n = try input.read(into: inBuffer)
                if n == 0 {
                    inputEnded = true
                } else {
                    state.pointee.next_in = inBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
                    state.pointee.avail_in = UInt32(n)
                }
            }
            if atMemberBoundary {
                if state.pointee.avail_in == 0 {
                    if inputEnded { finished = true; break }
                    continue
                }
                atMemberBoundary = false
            }
            let inBefore = state.pointee.avail_in
            let outBefore = state.pointee.avail_out
            let rc = isal_inflate(state)
            guard rc >= 0 else {
                throw .gzip("the gzip stream is corrupt (\(Self.reason(rc))) after \(produced + room - Int(state.pointee.avail_out)) decompressed bytes; compress the file again")
            }
            if state.pointee.block_state == ISAL_BLOCK_FINISH {
                // A whole member, trailer checked; another may follow. A
                // fresh start clears the buffers too: keep where they are.
                let (nextIn, availIn) = (state.pointee.next_in, state.pointee.avail_in)
                let (nextOut, availOut) = (state.pointee.next_out, state.pointee.avail_out)
                Self.start(state)
                (state.pointee.next_in, state.pointee.avail_in) = (nextIn, availIn)
                (state.pointee.next_out, state.pointee.avail_out) = (nextOut, availOut)
                atMemberBoundary = true
                continue
            }
            let progressed = state.pointee.avail_in != inBefore || state.pointee.avail_out != outBefore
            if !progressed && state.pointee.avail_in == 0 && inputEnded {
                throw .gzip(Self.truncated)
            }
            if !progressed && state.pointee.avail_in > 0 {
                // Input it will not take and no output: nothing will change.
                throw .gzip("the gzip stream is corrupt (no progress) after \(produced + room - Int(state.pointee.avail_out)) decompressed bytes; compress the file again")
            }
        }
        let n = room - Int(state.pointee.avail_out)
        produced += n
        if produced > limit { throw .tooLarge(limit: limit) }
        return n
    }

    /// igzip's error, in the words zlib uses for the same fault.
    private static func reason(_ rc: Int32) -> String {
        switch rc {
        case ISAL_INVALID_BLOCK: "invalid block type"
        case ISAL_INVALID_SYMBOL: "invalid code"
        case ISAL_INVALID_LOOKBACK: "invalid distance too far back"
        case ISAL_INVALID_WRAPPER: "incorrect header check"
        case ISAL_UNSUPPORTED_METHOD: "unknown compression method"
        case ISAL_INCORRECT_CHECKSUM: "incorrect data check"
        default: "error \(rc)"
        }
    }
}
