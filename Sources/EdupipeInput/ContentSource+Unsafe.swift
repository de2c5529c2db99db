/// Opens a submission's content: the file's bytes, inflated when they start
/// with the gzip magic `1f 8b` (whatever the name says), and never more than
/// `limit` bytes after decompression.
public enum ContentSource {
    public static func open(_ raw: ByteSource, limit: Int) throws(InputError) -> ByteSource {
        let magic = UnsafeMutableRawBufferPointer.allocate(byteCount: 2, alignment: 1)
        defer { magic.deallocate() }
        var have = 0
        while have < 2 {
            let n = try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: magic[have...]))
            if n == 0 { break }
            have += n
        }
        let prefixed = PrefixedSource(prefix: Array(magic[..<have]), rest: raw)
        if have == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
            return try GzipSource(input: prefixed, limit: limit)
        }
        return LimitedSource(input: prefixed, limit: limit)
    }
}

/// A source that knows how many bytes of content it has given: what
/// reading a file cost after decompression (`edupipe serve` meters it).
public protocol ContentCounting: AnyObject {
    var contentBytes: Int { get }
}

/// A few bytes already read, then the rest of a source.
final class PrefixedSource: ByteSource {
    private var prefix: [UInt8]
    private let rest: ByteSource

    init(prefix: [UInt8], rest: ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if prefix.isEmpty { return try rest.read(into: buffer) }
        let n = min(prefix.count, buffer.count)
        guard n > 0, let out = buffer.baseAddress else { return 0 }
        prefix.withUnsafeBytes { p in if let from = p.baseAddress { out.copyMemory(from: from, byteCount: n) } }
        prefix.removeFirst(n)
        return n
    }
}

/// Passes bytes through, failing with `tooLarge` past `limit` bytes.
final class LimitedSource: ByteSource, ContentCounting {
    private let input: ByteSource
    private let limit: Int
    private var total = 0
    var contentBytes: Int { total }

    init(input: ByteSource, limit: Int) {
        self.input = input
        self.limit = max(0, min(limit, Int.max - (1 << 20)))
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let room = min(buffer.count, limit - total + 1)
        let n = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<room]))
        total += n
        if total > limit { throw .tooLarge(limit: limit) }
        return n
    }
}
