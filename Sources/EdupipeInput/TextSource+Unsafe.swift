// Submission text: the encodings (`TextSource`, UTF-8 or GB18030 through
// iconv) and the streaming UTF-8 check (`UTF8Validator`).
#if canImport(Glibc)
import Glibc
#endif

/// The text of a submission as UTF-8.
///
/// CSV: the standard says a file that is valid UTF-8 is UTF-8, else GB18030.
/// To decide without holding the file, the first reading assumes UTF-8 and
/// checks every chunk as it passes (`.utf8`); at the first invalid byte it
/// throws `notUTF8` and the caller reads the file again as GB18030
/// (`.gb18030`), which glibc's iconv converts to UTF-8 on the way.
///
/// XML: the declaration names the encoding, so there is no second reading:
/// a source made with `declared` throws `encoding` with the line of the
/// first byte that does not decode, wherever it stands in the document.
///
/// Any buffer of at least one byte can be filled: a character that does not
/// fit waits in a small staging area for the next call.
public final class TextSource: ByteSource {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case gb18030 = "GB18030"
        case gbk = "GBK"
        case gb2312 = "GB2312"

        /// The name iconv knows, for the encodings iconv converts.
        var iconvName: String? {
            switch self {
            case .utf8: nil
            case .gb18030: "GB18030"
            case .gbk: "GBK"
            case .gb2312: "GB2312"
            }
        }

        /// The encoding an XML declaration names; nil for an encoding the
        /// standard does not accept (the document is then `E_ENCODING`).
        /// The labels are the WHATWG Encoding Standard's for UTF-8, GBK and
        /// GB18030, in any letter case (section 6); as that standard says,
        /// every GBK label is read with the GB18030 decoder, so a GBK-only
        /// character in a file declared GB2312 is read.
        public static func declared(_ name: String) -> Encoding? {
            // WHATWG strips ASCII white space around a label.
            let label = String(name.unicodeScalars.filter { !" \t\n\r\u{0C}".unicodeScalars.contains($0) }).lowercased()
            switch label {
            case "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8": return .utf8
            case "gb18030", "gbk", "gb2312", "gb_2312", "gb_2312-80", "chinese", "csgb2312", "csiso58gb231280",
                 "iso-ir-58", "x-gbk": return .gb18030
            default: return nil
            }
        }
    }

    private let input: ByteSource
    public let encoding: Encoding
    /// Named by the document (XML): no fallback, and errors say so.
    private let declared: Bool
    private var validator = UTF8Validator()
    private var converter: iconv_t?
    private var raw: UnsafeMutableRawBufferPointer
    private var rawStart = 0
    private var rawEnd = 0
    private var inputEnded = false
    /// Decoded line feeds so far, to say where a bad byte is (counted for
    /// every encoding but the CSV's first, UTF-8 guess, which never reports
    /// a line).
    private var lineFeeds = 0
    /// False when the reader will not say a line for an error of ours (the
    /// flat XML reader, which declines and lets libxml2's reader read the
    /// file again with lines): the counting is skipped.
    private let countsLines: Bool
    /// Converted bytes that did not fit the caller's buffer.
    private var stage: UnsafeMutableRawBufferPointer
    private var stageStart = 0
    private var stageEnd = 0
    private static let stageSize = 64

    public init(input: ByteSource, encoding: Encoding, declared: Bool = false, countsLines: Bool = true) throws(InputError) {
        self.input = input
        self.encoding = encoding
        self.declared = declared
        self.countsLines = countsLines
        raw = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        stage = .allocate(byteCount: Self.stageSize, alignment: 16)
        if let name = encoding.iconvName {
            let cd = iconv_open("UTF-8", name)
            if cd == iconv_t(bitPattern: -1) {
                stage.deallocate()
                stage = UnsafeMutableRawBufferPointer(start: nil, count: 0)
                throw .io("this system's iconv has no \(name) converter")
            }
            converter = cd
            raw = .allocate(byteCount: 1 << 16, alignment: 16)
        }
    }

    deinit {
        if let converter { iconv_close(converter) }
        if raw.baseAddress != nil { raw.deallocate() }
        if stage.baseAddress != nil { stage.deallocate() }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard buffer.count > 0 else { return 0 }
        switch encoding {
        case .utf8:
            return try readUTF8(into: buffer)
        case .gb18030, .gbk, .gb2312:
            if stageStart < stageEnd { return unstage(into: buffer) }
            // iconv needs room for a whole character (4 bytes of UTF-8).
            if buffer.count >= 8 { return try convert(into: buffer) }
            let n = try convert(into: stage)
            stageStart = 0
            stageEnd = n
            return unstage(into: buffer)
        }
    }

    private func unstage(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(buffer.count, stageEnd - stageStart)
        guard n > 0, let out = buffer.baseAddress, let from = stage.baseAddress else { return 0 }
        out.copyMemory(from: from + stageStart, byteCount: n)
        stageStart += n
        return n
    }

    private func readUTF8(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = try input.read(into: buffer)
        let strict = declared
        if n == 0 {
            if !validator.atBoundary {
                if strict { throw undecodable(line: lineFeeds + 1, byte: nil) }
                throw .notUTF8
            }
            return 0
        }
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<n])
        if !validator.validate(chunk) {
            guard strict else { throw .notUTF8 }
            let at = min(validator.failedAt, n - 1)
            throw undecodable(line: lineFeeds + 1 + Self.lineFeeds(in: UnsafeRawBufferPointer(rebasing: chunk[..<at])),
                              byte: chunk[at])
        }
        if strict && countsLines { lineFeeds += Self.lineFeeds(in: chunk) }
        return n
    }

    private func convert(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let rawBase = raw.baseAddress, let outBase = buffer.baseAddress else { return 0 }
        while true {
            if rawStart == rawEnd || (inputEnded == false && rawEnd - rawStart < 4) {
                if rawStart > 0 {
                    let left = rawEnd - rawStart
                    if left > 0 { rawBase.copyMemory(from: rawBase + rawStart, byteCount: left) }
                    rawStart = 0
                    rawEnd = left
                }
                if !inputEnded {
                    let n = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[rawEnd...]))
                    if n == 0 { inputEnded = true } else { rawEnd += n }
                }
                if rawStart == rawEnd && inputEnded { return 0 }
            }
            var inPtr: UnsafeMutablePointer<CChar>? = (rawBase + rawStart).assumingMemoryBound(to: CChar.self)
            var inLeft = rawEnd - rawStart
            var outPtr: UnsafeMutablePointer<CChar>? = outBase.assumingMemoryBound(to: CChar.self)
            var outLeft = buffer.count
            let rc = iconv(converter, &inPtr, &inLeft, &outPtr, &outLeft)
            let failure = rc == -1 ? errno : 0
            rawStart = rawEnd - inLeft
            let produced = buffer.count - outLeft
            if countsLines { lineFeeds += Self.lineFeeds(in: UnsafeRawBufferPointer(rebasing: buffer[..<produced])) }
            switch failure {
            case 0, E2BIG:
                if produced > 0 { return produced }
                // E2BIG with nothing produced cannot happen with 8 bytes of
                // room; never loop on it.
                if failure == E2BIG { throw undecodable(line: lineFeeds + 1, byte: rawByte()) }
            case EINVAL:
                // A character split across reads: keep its bytes for later.
                if produced > 0 { return produced }
                if inputEnded { throw undecodable(line: lineFeeds + 1, byte: rawByte()) }
                // Force a refill on the next turn of the loop.
                if rawEnd - rawStart >= 4 { throw undecodable(line: lineFeeds + 1, byte: rawByte()) }
            default:
                if produced > 0 { return produced }
                throw undecodable(line: lineFeeds + 1, byte: rawByte())
            }
        }
    }

    private func rawByte() -> UInt8? {
        rawStart < rawEnd ? raw.load(fromByteOffset: rawStart, as: UInt8.self) : nil
    }

    /// Line feeds in `bytes`, eight bytes at a time (a high bit per LF byte,
    /// exact: the low seven bits are compared apart, so no carry crosses).
    static func lineFeeds(in bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let n = bytes.count
        var count = 0
        var i = 0
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        while i + 8 <= n {
            let y = (base + i).loadUnaligned(as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
            count += (~(((y & low) &+ low) | y | low)).nonzeroBitCount
            i += 8
        }
        while i < n {
            if base.load(fromByteOffset: i, as: UInt8.self) == 0x0A { count += 1 }
            i += 1
        }
        return count
    }

    private func undecodable(line: Int, byte: UInt8?) -> InputError {
        let what = byte.map { b in
            let hex = String(b, radix: 16, uppercase: true)
            return "byte 0x\(hex.count == 1 ? "0" + hex : hex) on line \(line) is not a valid character"
        } ?? "the text ends in the middle of a character on line \(line)"
        if declared {
            return .encoding(line: line,
                             "the text does not decode as \(encoding.rawValue), the encoding the XML declaration names (\(what)); save the file again in the encoding its declaration names")
        }
        return .encoding(line: line,
                         "the text is neither UTF-8 nor GB18030 (\(what)); save the file as UTF-8 or GB18030 and upload it again")
    }
}

extension TextSource {
    /// UTF-8 text in another charset (GB18030, GBK, GB2312), as Chinese
    /// Windows software saves it: the synthetic inboxes' and the tests'
    /// files. The text is edupipe's own, so a character the charset lacks
    /// is a programming error.
    package static func encode(_ text: String, charset: String) -> [UInt8] {
        let cd = iconv_open(charset, "UTF-8")
        precondition(cd != iconv_t(bitPattern: -1), "iconv has no \(charset) converter")
        defer { iconv_close(cd) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let produced: Int = input.withUnsafeMutableBytes { inBuf in
            output.withUnsafeMutableBytes { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                let rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                precondition(rc != -1 && inLeft == 0, "text not representable in \(charset)")
                return outBuf.count - outLeft
            }
        }
        return Array(output[0..<produced])
    }
}

/// Checks that a stream is valid UTF-8, chunk by chunk: a character may be
/// split across two chunks. Rejects overlong forms, surrogates and code
/// points above U+10FFFF, as the Unicode standard does.
package struct UTF8Validator {
    /// Continuation bytes still expected for the current character.
    private var need = 0
    /// The range allowed for the next continuation byte (narrower after
    /// E0, ED, F0 and F4, which is how overlongs and surrogates are refused).
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF

    package init() {}

    /// After `validate` returned false: the offset in that chunk of the
    /// byte that broke the sequence.
    private(set) package var failedAt = 0

    /// True when the stream so far ends on a character boundary.
    package var atBoundary: Bool { need == 0 }

    /// The same over an array or a slice of one (the registry, a mask's
    /// candidate character).
    package mutating func validate(_ bytes: ArraySlice<UInt8>) -> Bool { bytes.withUnsafeBytes { validate($0) } }

    package mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var i = 0
        while i < count {
            if need == 0 {
                // ASCII runs are by far the common case: 32 bytes per test,
                // then 8.
                while i + 32 <= count {
                    let w = (base + i).loadUnaligned(as: UInt64.self) | (base + i + 8).loadUnaligned(as: UInt64.self)
                        | (base + i + 16).loadUnaligned(as: UInt64.self) | (base + i + 24).loadUnaligned(as: UInt64.self)
                    if w & 0x8080_8080_8080_8080 != 0 { break }
                    i += 32
                }
                while i + 8 <= count,
                      (base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                if i >= count { break }
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                i += 1
                switch b {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: need = 1; low = 0x80; high = 0xBF
                case 0xE0: need = 2; low = 0xA0; high = 0xBF
                case 0xE1...0xEC, 0xEE...0xEF: need = 2; low = 0x80; high = 0xBF
                case 0xED: need = 2; low = 0x80; high = 0x9F
                case 0xF0: need = 3; low = 0x90; high = 0xBF
                case 0xF1...0xF3: need = 3; low = 0x80; high = 0xBF
                case 0xF4: need = 3; low = 0x80; high = 0x8F
                default: failedAt = i - 1; return false
                }
            } else {
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                i += 1
                guard b >= low && b <= high else { failedAt = i - 1; return false }
                need -= 1
                low = 0x80
                high = 0xBF
            }
        }
        return true
    }
}

extension UTF8Validator {
    /// The length of the valid UTF-8 character at `i` of `b`, or 0 for a
    /// byte that does not begin one (what the path display and the ID mask
    /// step over one byte at a time).
    package static func sequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let first = b[i]
        if first < 0x80 { return 1 }
        let length = first >= 0xF5 ? 0 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC2 ? 2 : 0
        guard length > 0, i + length <= b.count else { return 0 }
        var v = UTF8Validator()
        let ok = v.validate(b[i..<(i + length)])
        return ok && v.atBoundary ? length : 0
    }
}
