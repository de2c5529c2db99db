import SystemZlib

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
