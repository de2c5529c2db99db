import Crypto
import EdupipeCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An upload on its way in: a hidden temporary file in the county's folder
/// of the inbox (`.edupipe-upload-*.part`, which the inbox scan skips), the
/// SHA-256 and size of what has come so far. Memory stays at one chunk
/// whatever the file's size. A file that is not finished is removed; one
/// left by a killed server is removed when the next one starts.
/// One task at a time uses it: the request's task writes it, then hands it
/// to the worker that validates and stores it.
final class IncomingFile: @unchecked Sendable {
    static let prefix = ".edupipe-upload-"

    let directory: String
    let path: String
    private var fd: Int32
    private var hasher = SHA256()
    private(set) var bytes = 0
    private(set) var sha256 = ""
    /// The folders this upload had to make, outermost first: synced with
    /// the file so that the file's name survives a power cut.
    let madeFolders: [String]

    struct WriteError: Error, CustomStringConvertible {
        let description: String
    }

    private static let counter = Counter()

    init(directory: String, inboxRoot: String) throws {
        var made: [String] = []
        var folder = inboxRoot
        for part in directory.dropFirst(inboxRoot.count).split(separator: "/") {
            folder += "/" + part
            if mkdir(folder, 0o755) == 0 { made.append(folder) }
            else if errno != EEXIST { throw WriteError(description: "cannot make the inbox folder \(folder): \(String(cString: strerror(errno)))") }
        }
        madeFolders = made
        self.directory = directory
        var generator = SystemRandomNumberGenerator()
        path = directory + "/" + Self.prefix + "\(getpid())-\(Self.counter.next())-\(UInt32.random(in: 0...UInt32.max, using: &generator)).part"
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(description: "cannot write in the inbox folder \(directory): \(String(cString: strerror(errno)))") }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Appends a chunk of the body.
    func write(_ chunk: UnsafeRawBufferPointer) throws {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        hasher.update(bufferPointer: chunk)
        var offset = 0
        while offset < chunk.count {
            let n = Glibc.write(fd, base + offset, chunk.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw WriteError(description: "cannot write the upload: \(String(cString: strerror(errno)))") }
            offset += n
        }
        bytes += chunk.count
    }

    /// Syncs and closes the file once the whole body has come.
    func finish() throws {
        sha256 = encodeHex(Array(hasher.finalize()))
        let synced = fsync(fd)
        let closed = close(fd)
        fd = -1
        guard synced == 0, closed == 0 else { throw WriteError(description: "cannot sync the upload to disk: \(String(cString: strerror(errno)))") }
    }

    /// Removes the temporary file (an upload cut short, refused or only
    /// checked).
    func discard() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(path)
    }

    /// Removes what killed servers left in `inbox`: the temporary files of
    /// uploads that never finished. Returns how many.
    static func removeLeftovers(inbox: String) -> Int {
        var removed = 0
        func walk(_ dir: String, depth: Int) {
            guard depth < 8, let d = opendir(dir) else { return }
            defer { closedir(d) }
            while let e = readdir(d) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name == "." || name == ".." { continue }
                let full = dir + "/" + name
                if e.pointee.d_type == UInt8(DT_DIR) {
                    if !name.hasPrefix(".") { walk(full, depth: depth + 1) }
                } else if name.hasPrefix(prefix) && name.hasSuffix(".part") {
                    if unlink(full) == 0 { removed += 1 }
                }
            }
        }
        walk(inbox, depth: 0)
        return removed
    }

    /// Syncs a folder, so that a name made or removed in it is on disk.
    static func syncFolder(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return fsync(fd) == 0
    }
}

/// Numbers for temporary names, unique within the process.
private final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}
