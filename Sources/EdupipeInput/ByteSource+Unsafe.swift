// Every source of bytes before decoding, in one file: the protocol, a
// file, memory, a prefix put back, a size limit, and the gzip sniff that
// picks between them.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import EdupipeSupport

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

/// Opens a submission's content: the file's bytes, inflated when they start
/// with the gzip magic `1f 8b` (whatever the name says), and never more than
/// `limit` bytes after decompression.
public enum ContentSource {
    /// The first read: the whole of most submissions (a county's file is a
    /// few kilobytes of gzip), so that sniffing the magic costs no read of
    /// its own.
    static let firstRead = 1 << 14

    public static func open(_ raw: ByteSource, limit: Int) throws(InputError) -> ByteSource {
        // Read straight into the array the prefix keeps: no buffer of its
        // own to copy from. At least the two bytes of a gzip magic, unless
        // the file is shorter.
        var failure: InputError?
        let first = [UInt8](unsafeUninitializedCapacity: firstRead) { buffer, have in
            let bytes = UnsafeMutableRawBufferPointer(buffer)
            do throws(InputError) {
                while have < 2 {
                    let n = try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[have...]))
                    if n == 0 { break }
                    have += n
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        let prefixed = PrefixedSource(prefix: first, rest: raw)
        if first.count >= 2 && first[0] == 0x1f && first[1] == 0x8b {
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

/// Bytes already read, then the rest of a source.
final class PrefixedSource: ByteSource {
    private let prefix: [UInt8]
    /// How much of `prefix` has been handed out.
    private var given = 0
    private let rest: ByteSource

    init(prefix: [UInt8], rest: ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if given == prefix.count { return try rest.read(into: buffer) }
        let n = min(prefix.count - given, buffer.count)
        guard n > 0, let out = buffer.baseAddress else { return 0 }
        prefix.withUnsafeBytes { p in if let from = p.baseAddress { out.copyMemory(from: from + given, byteCount: n) } }
        given += n
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

/// A file opened read-only: the inbox is never written, moved or deleted.
public final class FileSource: ByteSource {
    private let fd: Int32
    /// Where the next read starts, for a source over another's descriptor
    /// (read with `pread`, never moving that descriptor's offset); -1 for
    /// a file this source opened, read with `read`.
    private var position = -1
    public let path: String
    /// Bytes read so far from the file itself (compressed, if it is).
    public private(set) var bytesRead = 0
    /// SHA-256 of the bytes as they are read, for the run ledger: the file
    /// is hashed in the same pass that validates it.
    private var hasher: SHA256?
    /// The size `fstat` gave when the file was opened.
    private let sizeAtOpen: Int
    /// The end was read: a read that came back short at the size the file
    /// had when opened, or that came back empty. Later reads return 0
    /// without asking the kernel (which was a read, and 9,000 system
    /// calls, a night).
    private var atEnd = false

    public convenience init(path: String, digesting: Bool = false) throws(InputError) {
        try self.init(raw: RawPath(path), display: path, digesting: digesting)
    }

    /// Opens the file named by `raw` (any bytes), shown as `display` in
    /// messages. Only regular files are read: opening is non-blocking, so a
    /// FIFO or device put in the inbox cannot hang the run.
    public init(raw: RawPath, display: String, digesting: Bool = false) throws(InputError) {
        self.path = display
        if digesting { hasher = SHA256() }
        (fd, sizeAtOpen) = try Self.regularFile(SystemIO.withCString(raw.bytes) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }, display)
    }

    /// `fd` and its size if it is open on a regular file; else it is closed
    /// and why is thrown.
    private static func regularFile(_ fd: Int32, _ display: String) throws(InputError) -> (Int32, Int) {
        if fd < 0 {
            throw .io("cannot open \(display): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .io("cannot read \(display): it is not a regular file (a folder, a device or a pipe)")
        }
        return (fd, Int(st.st_size))
    }

    /// Reads the file behind `descriptor` from its first byte, through a
    /// descriptor of its own: `edupipe serve` reads an upload through the
    /// descriptor it was written with, instead of opening it again by a
    /// path.
    public init(descriptor: Int32, display: String, digesting: Bool = false) throws(InputError) {
        self.path = display
        if digesting { hasher = SHA256() }
        (fd, sizeAtOpen) = try Self.regularFile(fcntl(descriptor, F_DUPFD_CLOEXEC, 0), display)
        position = 0
    }

    deinit { close(fd) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard !atEnd, let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = position < 0 ? Glibc.read(fd, base, buffer.count) : pread(fd, base, buffer.count, off_t(position))
            if n >= 0 {
                if position >= 0 { position += n }
                bytesRead += n
                if n > 0 { hasher?.update(bufferPointer: UnsafeRawBufferPointer(start: base, count: n)) }
                // A regular file's read comes back short only at its end;
                // one that grew since it was opened is read on to its new
                // end, and one that said it was empty (as files of the
                // kernel's own do) is read until a read comes back empty.
                atEnd = n == 0 || (n < buffer.count && sizeAtOpen > 0 && bytesRead >= sizeAtOpen)
                return n
            }
            if errno == EINTR { continue }
            throw .io("cannot read \(path): \(String(cString: strerror(errno)))")
        }
    }
}

extension FileSource {
    /// The file's size and SHA-256: the bytes not read yet (validation can
    /// stop at the first fatal error) are read and hashed first. Nil when the
    /// source was not opened with `digesting`, or the rest cannot be read.
    public func finishDigest() -> FileIdentity? {
        guard hasher != nil else { return nil }
        if !atEnd {
            let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
            defer { scratch.deallocate() }
            do {
                while try read(into: scratch) > 0 {}
            } catch {
                return nil
            }
        }
        guard let digest = hasher?.finalize() else { return nil }
        hasher = nil
        return FileIdentity(size: bytesRead, sha256: Array(digest))
    }
}

/// A byte source over memory, for tests and for content already in hand.
public final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    /// At most this many bytes per read: tests use 1 to force every resume path.
    private let maxChunk: Int

    public init(_ bytes: [UInt8], maxChunk: Int = .max) {
        self.bytes = bytes
        self.maxChunk = max(1, maxChunk)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = min(buffer.count, bytes.count - offset, maxChunk)
        guard n > 0, let out = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { src in
            if let from = src.baseAddress { out.copyMemory(from: from + offset, byteCount: n) }
        }
        offset += n
        return n
    }
}
