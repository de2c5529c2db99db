#if canImport(Glibc)
import Glibc
#endif

/// The text of a CSV submission as UTF-8.
///
/// The standard says a file that is valid UTF-8 is UTF-8, else GB18030. To
/// decide without holding the file, the first reading assumes UTF-8 and
/// checks every chunk as it passes (`.utf8`); at the first invalid byte it
/// throws `notUTF8` and the caller reads the file again as GB18030
/// (`.gb18030`), which glibc's iconv converts to UTF-8 on the way.
public final class TextSource: ByteSource {
    public enum Encoding: String, Sendable { case utf8 = "UTF-8", gb18030 = "GB18030" }

    private let input: ByteSource
    public let encoding: Encoding
    private var validator = UTF8Validator()
    private var converter: iconv_t?
    private var raw: UnsafeMutableRawBufferPointer
    private var rawStart = 0
    private var rawEnd = 0
    private var inputEnded = false
    /// Decoded line feeds so far, to say where a bad byte is.
    private var lineFeeds = 0

    public init(input: ByteSource, encoding: Encoding) throws(InputError) {
        self.input = input
        self.encoding = encoding
        raw = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        if encoding == .gb18030 {
            let cd = iconv_open("UTF-8", "GB18030")
            if cd == iconv_t(bitPattern: -1) { throw .io("this system's iconv has no GB18030 converter") }
            converter = cd
            raw = .allocate(byteCount: 1 << 16, alignment: 16)
        }
    }

    deinit {
        if let converter { iconv_close(converter) }
        if raw.baseAddress != nil { raw.deallocate() }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        switch encoding {
        case .utf8:
            let n = try input.read(into: buffer)
            if n == 0 {
                if !validator.atBoundary { throw .notUTF8 }
                return 0
            }
            if !validator.validate(UnsafeRawBufferPointer(rebasing: buffer[..<n])) { throw .notUTF8 }
            return n
        case .gb18030:
            return try convert(into: buffer)
        }
    }

    private func convert(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        // A GB18030 character is at most 4 bytes and its UTF-8 at most 4:
        // with fewer than 4 bytes of room, iconv may make no progress.
        precondition(buffer.count >= 4, "convert needs room for one character")
        while true {
            if rawStart == rawEnd || (inputEnded == false && rawEnd - rawStart < 4) {
                if rawStart > 0 {
                    let left = rawEnd - rawStart
                    if left > 0 { raw.baseAddress!.copyMemory(from: raw.baseAddress! + rawStart, byteCount: left) }
                    rawStart = 0
                    rawEnd = left
                }
                if !inputEnded {
                    let n = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[rawEnd...]))
                    if n == 0 { inputEnded = true } else { rawEnd += n }
                }
                if rawStart == rawEnd && inputEnded { return 0 }
            }
            var inPtr: UnsafeMutablePointer<CChar>? = (raw.baseAddress! + rawStart).assumingMemoryBound(to: CChar.self)
            var inLeft = rawEnd - rawStart
            var outPtr: UnsafeMutablePointer<CChar>? = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
            var outLeft = buffer.count
            let rc = iconv(converter, &inPtr, &inLeft, &outPtr, &outLeft)
            let failure = rc == -1 ? errno : 0
            rawStart = rawEnd - inLeft
            let produced = buffer.count - outLeft
            countLineFeeds(UnsafeRawBufferPointer(rebasing: buffer[..<produced]))
            switch failure {
            case 0, E2BIG:
                if produced > 0 { return produced }
            case EINVAL:
                // A character split across reads: keep its bytes for later.
                if produced > 0 { return produced }
                if inputEnded { throw badByte() }
                // Force a refill on the next turn of the loop.
                if rawEnd - rawStart >= 4 { throw badByte() }
            default:
                throw badByte()
            }
        }
    }

    private func countLineFeeds(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes where b == 0x0A { lineFeeds += 1 }
    }

    private func badByte() -> InputError {
        let b = rawStart < rawEnd ? raw.load(fromByteOffset: rawStart, as: UInt8.self) : 0
        let hex = String(b, radix: 16, uppercase: true)
        return .encoding(line: lineFeeds + 1,
                         "the text is neither UTF-8 nor GB18030 (byte 0x\(hex.count == 1 ? "0" + hex : hex) on line \(lineFeeds + 1) is not a valid character); save the file as UTF-8 or GB18030 and upload it again")
    }
}
