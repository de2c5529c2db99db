import SystemZlib
import Testing
@testable import EdupipeInput

/// igzip's path against zlib on the same bytes (issue "Nothing slips
/// through", finding 1: every member with a header CRC was rejected). Every
/// combination of RFC 1952's header flags, each block type, empty members
/// and multi-member files: `GzipSource` must give zlib's bytes; each corrupt
/// twin must be an error for both.
@Suite struct GzipDifferentialTests {
    static let text = Array(String(repeating: "110101,1111010001,primary,1,1-01,45\n", count: 40).utf8)

    enum Block: CaseIterable { case stored, fixed, dynamic }

    /// Raw deflate data of `bytes` in one kind of block.
    static func deflateRaw(_ bytes: [UInt8], _ block: Block) -> [UInt8] {
        var stream = z_stream()
        let level: Int32 = block == .stored ? 0 : 9
        let strategy: Int32 = block == .fixed ? Z_FIXED : Z_DEFAULT_STRATEGY
        #expect(deflateInit2_(&stream, level, Z_DEFLATED, -15, 9, strategy, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var input = bytes
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        let n: Int = input.withUnsafeMutableBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o in
                stream.next_in = i.baseAddress
                stream.avail_in = uInt(i.count)
                stream.next_out = o.baseAddress
                stream.avail_out = uInt(o.count)
                _ = deflate(&stream, Z_FINISH)
                return o.count - Int(stream.avail_out)
            }
        }
        return Array(out[0..<n])
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(truncatingIfNeeded: crc32(0, $0.baseAddress, uInt($0.count))) }
    }

    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }

    /// One member with the given flags (FTEXT 1, FHCRC 2, FEXTRA 4, FNAME 8,
    /// FCOMMENT 16).
    static func member(_ data: [UInt8], flags: UInt8, block: Block, extra: Int = 3) -> [UInt8] {
        var h: [UInt8] = [0x1F, 0x8B, 8, flags, 1, 2, 3, 4, 0, 3]
        if flags & 4 != 0 { h += [UInt8(extra & 0xFF), UInt8(extra >> 8)] + [UInt8](repeating: 0x41, count: extra) }
        if flags & 8 != 0 { h += Array("110101_class_size_2022-autumn.csv".utf8) + [0] }
        if flags & 16 != 0 { h += Array("导出自 Excel".utf8) + [0] }
        if flags & 2 != 0 { let c = crc(h); h += [UInt8(c & 0xFF), UInt8((c >> 8) & 0xFF)] }
        return h + deflateRaw(data, block) + le32(crc(data)) + le32(UInt32(truncatingIfNeeded: data.count))
    }

    /// The igzip path's bytes, or nil for an error; `chunk` bytes per read.
    static func fast(_ bytes: [UInt8], chunk: Int = .max) -> [UInt8]? {
        do {
            let source = try GzipSource(input: MemorySource(bytes, maxChunk: chunk), limit: 1 << 24, chunkSize: 512)
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 700)
            while true {
                let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
                if n == 0 { return out }
                out += buffer[0..<n]
            }
        } catch {
            return nil
        }
    }

    @Test func everyHeaderFormAndBlockType() {
        var forms = 0
        for flags in UInt8(0)..<32 {
            for block in Block.allCases {
                for extra in flags & 4 != 0 ? [0, 1, 65_535] : [0] {
                    let file = Self.member(Self.text, flags: flags, block: block, extra: extra)
                    let reference = GzipReference.inflate(file)
                    #expect(reference == Self.text, "zlib, flags \(flags) \(block) extra \(extra)")
                    #expect(Self.fast(file) == reference, "flags \(flags) \(block) extra \(extra)")
                    forms += 1
                }
            }
        }
        #expect(forms == 16 * 3 + 16 * 9)
    }

    @Test func emptyAndMultiMemberFiles() {
        let half = Self.text.count / 2
        let mixes: [[UInt8]] = [
            Self.member([], flags: 0, block: .fixed),
            Self.member([], flags: 2 | 8, block: .stored),
            Self.member(Array(Self.text[..<half]), flags: 2 | 4 | 8 | 16, block: .stored)
                + Self.member([], flags: 0, block: .fixed)
                + Self.member(Array(Self.text[half...]), flags: 2 | 16, block: .dynamic, extra: 1),
            Self.member(Self.text, flags: 31, block: .dynamic, extra: 65_535) + Self.member(Self.text, flags: 2, block: .stored),
        ]
        for (i, file) in mixes.enumerated() {
            let reference = GzipReference.inflate(file)
            #expect(reference != nil, "mix \(i)")
            for chunk in [1, 7, 64, .max] {
                #expect(Self.fast(file, chunk: chunk) == reference, "mix \(i), \(chunk) bytes a read")
            }
        }
    }

    @Test func corruptTwinsAreErrorsForBoth() {
        let file = Self.member(Self.text, flags: 2 | 8, block: .dynamic)
        let nameEnd = 10 + "110101_class_size_2022-autumn.csv".utf8.count + 1
        var twins: [(String, [UInt8])] = []
        var headerCRC = file; headerCRC[nameEnd] ^= 1; twins.append(("header CRC", headerCRC))
        var dataCRC = file; dataCRC[file.count - 8] ^= 1; twins.append(("data CRC", dataCRC))
        var size = file; size[file.count - 4] ^= 1; twins.append(("ISIZE", size))
        var flags = file; flags[3] |= 0x20; twins.append(("reserved flag", flags))
        var method = file; method[2] = 7; twins.append(("method", method))
        twins.append(("zero padding", file + [0, 0]))
        twins.append(("garbage", file + Array("abc".utf8)))
        for (what, twin) in twins {
            #expect(GzipReference.inflate(twin) == nil, "zlib: \(what)")
            #expect(Self.fast(twin) == nil, "igzip: \(what)")
        }
        // Cut at every offset of a small file.
        let small = Self.member(Array("a,b\n1,2\n".utf8), flags: 2 | 4 | 8 | 16, block: .fixed, extra: 2)
        for cut in 0..<small.count {
            let piece = Array(small[..<cut])
            #expect(GzipReference.inflate(piece) == nil, "zlib cut at \(cut)")
            #expect(Self.fast(piece, chunk: 3) == nil, "igzip cut at \(cut)")
        }
    }

    @Test func validateAcceptsAHeaderCRCMember() {
        // The county file that was rejected: FEXTRA, FNAME, FCOMMENT, FHCRC, stored blocks.
        let text = Array(Samples.csv(Samples.classHeader, ["110101,1111010001,primary,1,1-01,45"]).utf8)
        let file = Self.member(text, flags: 2 | 4 | 8 | 16, block: .stored)
        let r = Fixtures.validate("110101_class_size_2022-autumn.csv.gz", file)
        #expect(r.isValid, "\(r.triples)")
        #expect(r.records == 1)
    }
}
