#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import EdupipeSupport

/// A file opened read-only: the inbox is never written, moved or deleted.
public final class FileSource: ByteSource {
    private let fd: Int32
    public let path: String
    /// Bytes read so far from the file itself (compressed, if it is).
    public private(set) var bytesRead = 0
    /// SHA-256 of the bytes as they are read, for the run ledger: the file
    /// is hashed in the same pass that validates it.
    private var hasher: SHA256?

    public convenience init(path: String, digesting: Bool = false) throws(InputError) {
        try self.init(raw: RawPath(path), display: path, digesting: digesting)
    }

    /// Opens the file named by `raw` (any bytes), shown as `display` in
    /// messages. Only regular files are read: opening is non-blocking, so a
    /// FIFO or device put in the inbox cannot hang the run.
    public init(raw: RawPath, display: String, digesting: Bool = false) throws(InputError) {
        self.path = display
        if digesting { hasher = SHA256() }
        let fd = raw.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        if fd < 0 {
            throw .io("cannot open \(display): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .io("cannot read \(display): it is not a regular file (a folder, a device or a pipe)")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(fd, base, buffer.count)
            if n >= 0 {
                bytesRead += n
                if n > 0 { hasher?.update(bufferPointer: UnsafeRawBufferPointer(start: base, count: n)) }
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
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        do {
            while try read(into: scratch) > 0 {}
        } catch {
            return nil
        }
        guard let digest = hasher?.finalize() else { return nil }
        hasher = nil
        return FileIdentity(size: bytesRead, sha256: Array(digest))
    }
}

/// What identifies one version of a file in the run ledger.
public struct FileIdentity: Sendable, Equatable {
    public let size: Int
    public let sha256: [UInt8]

    public init(size: Int, sha256: [UInt8]) {
        self.size = size
        self.sha256 = sha256
    }

    public var hex: String { encodeHex(sha256) }

    /// Reads and hashes a whole file (for files that are not validated,
    /// such as a bad name, and for the plan and registry).
    public static func of(path: String) -> FileIdentity? {
        guard let source = try? FileSource(path: path, digesting: true) else { return nil }
        return source.finishDigest()
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
