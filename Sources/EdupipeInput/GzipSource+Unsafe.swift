// Gzip input: igzip's inflate (`GzipSource`) and the header reader that
// feeds it (`GzipHeader`).
import CISAL
import SystemZlib

/// Inflates a gzip stream (RFC 1952) from another source, member after
/// member, counting what it produces against a size limit as it goes.
///
/// Each member's header is read by `GzipHeader` (every combination of
/// RFC 1952's flags, the header CRC checked); the deflate data and the
/// trailer go to ISA-L's igzip (`isal_inflate` with `ISAL_GZIP_NO_HDR_VER`),
/// which inflates in about half the instructions zlib takes and checks the
/// member's CRC-32 and length. Another member may follow (`gzip -c a b >
/// ab.gz` is one valid file); anything after a member that is not another
/// member (zero padding included) is corruption, and so is a stream that
/// ends inside a member. `GzipDifferentialTests` and the `FuzzGzip` harness
/// hold this reader to zlib's on the same bytes.
public final class GzipSource: ByteSource, ContentCounting {
    private enum Phase { case header, body, boundary }

    private let input: ByteSource
    /// igzip's state (about 100 KB, with its output window): allocated once
    /// per file, never moved.
    private let state: UnsafeMutablePointer<inflate_state>
    private let inBuffer: UnsafeMutableRawBufferPointer
    private let limit: Int
    private var produced = 0
    private var inputEnded = false
    private var finished = false
    private var phase = Phase.header
    private var header = GzipHeader()
    /// Whole members read so far.
    private var members = 0

    public init(input: ByteSource, limit: Int, chunkSize: Int = 1 << 14) throws(InputError) {
        self.input = input
        // One byte past the limit is counted: keep that sum in range.
        self.limit = max(0, min(limit, Int.max - (1 << 20)))
        state = .allocate(capacity: 1)
        inBuffer = .allocate(byteCount: max(16, chunkSize), alignment: 16)
        isal_inflate_init(state)
    }

    deinit {
        state.deallocate()
        inBuffer.deallocate()
    }

    /// Decompressed bytes produced so far.
    public var decompressedBytes: Int { produced }
    public var contentBytes: Int { produced }

    private static let truncated = "the gzip stream is truncated: it ends in the middle of compressed data (was the upload complete?)"

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        // Never hand out more than the limit allows plus one byte: one byte
        // over is enough to know the file is too large. igzip counts in 32
        // bits: a call never gets more room than that.
        let room = min(buffer.count, limit - produced + 1, Int(UInt32.max))
        state.pointee.next_out = out.assumingMemoryBound(to: UInt8.self)
        state.pointee.avail_out = UInt32(room)
        loop: while state.pointee.avail_out > 0 {
            if state.pointee.avail_in == 0 && !inputEnded {
                let n = try input.read(into: inBuffer)
                if n == 0 {
                    inputEnded = true
                } else {
                    state.pointee.next_in = inBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
                    state.pointee.avail_in = UInt32(n)
                }
            }
            switch phase {
            case .boundary:
                if state.pointee.avail_in == 0 {
                    if inputEnded { finished = true; break loop }
                    continue loop
                }
                header = GzipHeader()
                phase = .header
            case .header:
                guard state.pointee.avail_in > 0, let next = state.pointee.next_in else {
                    if inputEnded { throw .gzip(Self.truncated) }
                    continue loop
                }
                let available = UnsafeRawBufferPointer(start: next, count: Int(state.pointee.avail_in))
                let used: Int
                do {
                    used = try header.feed(available)
                } catch {
                    throw .gzip(headerFailure(error))
                }
                state.pointee.next_in = next + used
                state.pointee.avail_in -= UInt32(used)
                if header.isDone { startBody() }
            case .body:
                try inflate(room: room)
            }
        }
        let n = room - Int(state.pointee.avail_out)
        produced += n
        if produced > limit { throw .tooLarge(limit: limit) }
        return n
    }

    /// igzip takes over after a header: deflate data and trailer only. A
    /// fresh start clears the buffers too: keep where they are.
    private func startBody() {
        let (nextIn, availIn) = (state.pointee.next_in, state.pointee.avail_in)
        let (nextOut, availOut) = (state.pointee.next_out, state.pointee.avail_out)
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP_NO_HDR_VER)
        (state.pointee.next_in, state.pointee.avail_in) = (nextIn, availIn)
        (state.pointee.next_out, state.pointee.avail_out) = (nextOut, availOut)
        phase = .body
    }

    /// One call of igzip on what is in hand.
    private func inflate(room: Int) throws(InputError) {
        let inBefore = state.pointee.avail_in
        let outBefore = state.pointee.avail_out
        let rc = isal_inflate(state)
        guard rc >= 0 else {
            throw .gzip("the gzip stream is corrupt (\(Self.reason(rc))) after \(produced + room - Int(state.pointee.avail_out)) decompressed bytes; compress the file again")
        }
        if state.pointee.block_state == ISAL_BLOCK_FINISH {
            // A whole member, trailer checked; another may follow.
            members += 1
            phase = .boundary
            return
        }
        let progressed = state.pointee.avail_in != inBefore || state.pointee.avail_out != outBefore
        if !progressed && state.pointee.avail_in == 0 && inputEnded {
            throw .gzip(Self.truncated)
        }
        if !progressed && state.pointee.avail_in > 0 && state.pointee.avail_out > 0 {
            // Input it will not take and room it does not fill: nothing will change.
            throw .gzip("the gzip stream is corrupt (no progress) after \(produced + room - Int(state.pointee.avail_out)) decompressed bytes; compress the file again")
        }
    }

    /// A header that is not one, in the words zlib uses for the same fault;
    /// after a whole member, bytes that start no member.
    private func headerFailure(_ failure: GzipHeader.Failure) -> String {
        if members > 0 && failure == .notGzip {
            return "the file goes on after its last gzip member with bytes that are not another member (zero padding or other data): compress the file again"
        }
        let why: String
        switch failure {
        case .notGzip: why = "incorrect header check"
        case .method(let m): why = "unknown compression method \(m)"
        case .reservedFlags: why = "unknown header flags set"
        case .headerCRC: why = "header crc mismatch"
        }
        return "the gzip stream is corrupt (\(why)); compress the file again"
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

/// Reads a gzip member's header (RFC 1952, section 2.3) as it streams past,
/// in whatever pieces the input comes: the magic bytes, the method, the
/// flags and every optional part they announce (FEXTRA of 0 to 65,535
/// bytes, FNAME and FCOMMENT up to their NUL, and FHCRC, the low 16 bits of
/// the CRC-32 of the header bytes before it, which is checked). FTEXT,
/// MTIME, XFL and OS say nothing edupipe needs.
///
/// igzip parses headers too, but its FHCRC path rejected valid files
/// ("incorrect data check" on every member with a header CRC): edupipe
/// reads the header itself and gives igzip the deflate data and trailer
/// only (`ISAL_GZIP_NO_HDR_VER`, which still checks CRC-32 and ISIZE).
struct GzipHeader {
    private enum Stage {
        case fixed, extraLength, extra, name, comment, headerCRC, done
    }

    private static let flagText: UInt8 = 1, flagHeaderCRC: UInt8 = 2, flagExtra: UInt8 = 4,
                       flagName: UInt8 = 8, flagComment: UInt8 = 16

    private var stage = Stage.fixed
    /// Bytes read of the current stage's fixed-size part.
    private var got = 0
    private var flags: UInt8 = 0
    private var extraRemaining = 0
    private var twoBytes: UInt32 = 0
    /// CRC-32 of the header bytes read so far (before FHCRC's own two).
    private var crc: UInt32 = 0
    /// Bytes of this header read so far.
    private(set) var bytesRead = 0

    /// True once the whole header has been read.
    var isDone: Bool { stage == .done }

    /// Why a header is not one.
    enum Failure: Error, Equatable {
        case notGzip
        case method(UInt8)
        case reservedFlags
        case headerCRC
    }

    /// Reads header bytes from `bytes`; returns how many it took (all of
    /// them unless the header ended inside).
    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> Int {
        var i = 0
        let n = bytes.count
        // Bytes from here on count towards the header CRC, until its own two.
        var crcFrom = stage == .headerCRC || stage == .done ? n : 0
        defer {
            if crcFrom < i, let base = bytes.baseAddress {
                crc = UInt32(truncatingIfNeeded: crc32(UInt(crc), base.assumingMemoryBound(to: UInt8.self) + crcFrom, UInt32(i - crcFrom)))
            }
            bytesRead += i
        }
        while i < n && stage != .done {
            switch stage {
            case .fixed:
                let b = bytes[i]
                switch got {
                case 0: guard b == 0x1F else { throw .notGzip }
                case 1: guard b == 0x8B else { throw .notGzip }
                case 2: guard b == 8 else { throw .method(b) }
                case 3:
                    guard b & 0xE0 == 0 else { throw .reservedFlags }
                    flags = b
                default: break
                }
                i += 1
                got += 1
                if got == 10 { next(after: .fixed) }
            case .extraLength:
                twoBytes |= UInt32(bytes[i]) << (8 * UInt32(got))
                i += 1
                got += 1
                if got == 2 {
                    extraRemaining = Int(twoBytes)
                    stage = .extra
                    if extraRemaining == 0 { next(after: .extra) }
                }
            case .extra:
                let take = min(extraRemaining, n - i)
                i += take
                extraRemaining -= take
                if extraRemaining == 0 { next(after: .extra) }
            case .name, .comment:
                while i < n && bytes[i] != 0 { i += 1 }
                if i < n {
                    i += 1
                    next(after: stage)
                }
            case .headerCRC:
                twoBytes |= UInt32(bytes[i]) << (8 * UInt32(got))
                i += 1
                got += 1
                if got == 2 {
                    guard twoBytes == crc & 0xFFFF else { throw .headerCRC }
                    stage = .done
                }
            case .done:
                break
            }
            if stage == .headerCRC && got == 0 && crcFrom < i {
                // The CRC covers what came before these two bytes.
                if let base = bytes.baseAddress {
                    crc = UInt32(truncatingIfNeeded: crc32(UInt(crc), base.assumingMemoryBound(to: UInt8.self) + crcFrom, UInt32(i - crcFrom)))
                }
                crcFrom = n
            }
        }
        return i
    }

    /// The stage that follows `stage`, as the flags say.
    private mutating func next(after previous: Stage) {
        got = 0
        twoBytes = 0
        let order: [Stage] = [.fixed, .extraLength, .extra, .name, .comment, .headerCRC, .done]
        var k = (order.firstIndex(of: previous) ?? order.count - 2) + 1
        while k < order.count {
            switch order[k] {
            case .extraLength where flags & Self.flagExtra != 0: stage = .extraLength; return
            case .name where flags & Self.flagName != 0: stage = .name; return
            case .comment where flags & Self.flagComment != 0: stage = .comment; return
            case .headerCRC where flags & Self.flagHeaderCRC != 0: stage = .headerCRC; return
            case .done: stage = .done; return
            default: k += 1
            }
        }
    }
}
