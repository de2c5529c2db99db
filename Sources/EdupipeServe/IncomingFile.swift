import Crypto
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport

/// An upload on its way in: an unnamed file (`O_TMPFILE`) in the inbox's
/// hidden folder `.edupipe-uploads/`, and the SHA-256 and size of what has
/// come so far. Memory stays at one chunk whatever the file's size. The
/// file gets its one name only once it is whole and synced (`linkat`), so a
/// server killed mid-upload leaves nothing at all: the kernel frees an
/// unnamed file with its last descriptor. On a file system without
/// `O_TMPFILE` the file is a named `*.part` in the same folder, removed when
/// the upload ends or, after a kill, when the next server starts.
///
/// One folder for every upload, not the county's: creating files in one
/// folder the file system already knows is cheap, while spreading them
/// over thousands of new folders cost a third of the server's time in inode
/// allocation; and an unnamed file takes no lock on the folder's entries.
final class IncomingFile: @unchecked Sendable {
    static let folder = ".edupipe-uploads"
    /// Linux's `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`), which Glibc's
    /// Swift module does not export.
    static let tmpfileFlag: Int32 = 0o20000000 | O_DIRECTORY

    /// What links an unnamed file into the inbox: `/proc/self/fd/N`;
    /// else the file's name.
    let path: String
    /// The named temporary, when `O_TMPFILE` was refused.
    private let named: String?
    /// Open for reading too: the validator reads the upload through it
    /// (`SubmissionValidator.validate(descriptor:)`), which spares each
    /// upload an open of `/proc/self/fd/N` and its walk through `/proc`.
    private(set) var fd: Int32
    private var hasher = SHA256()
    private(set) var bytes = 0
    private(set) var sha256 = ""

    private static let counter = Counter()

    init(inboxRoot: String) throws {
        let dir = inboxRoot + "/" + Self.folder
        let unnamed = open(dir, Self.tmpfileFlag | O_RDWR | O_CLOEXEC, 0o666)
        if unnamed >= 0 {
            fd = unnamed
            named = nil
            path = "/proc/self/fd/\(unnamed)"
            return
        }
        var generator = SystemRandomNumberGenerator()
        let name = dir + "/\(getpid())-\(Self.counter.next())-\(UInt32.random(in: 0...UInt32.max, using: &generator)).part"
        fd = open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw EdupipeError.system("cannot write in the inbox's upload folder") }
        named = name
        path = name
    }

    /// Gives the finished file its name in the inbox. Fails with EEXIST
    /// rather than replace a file (unlike `rename`).
    func link(to target: String) -> Int32 {
        if let named { return Glibc.link(named, target) }
        return linkat(AT_FDCWD, path, AT_FDCWD, target, AT_SYMLINK_FOLLOW)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Appends a chunk of the body.
    func write(_ chunk: [UInt8]) throws {
        guard !chunk.isEmpty else { return }
        hasher.update(data: chunk)
        try SystemIO.writeAll(fd, chunk, path: "the upload")
        bytes += chunk.count
    }

    /// Ends the body's SHA-256 once the whole body has come. The file stays
    /// open (an unnamed file lives as long as its descriptor); it is synced
    /// with the uploads around it (`GroupSync`) only if it is to be stored.
    func finish() {
        sha256 = encodeHex(Array(hasher.finalize()))
    }

    /// Closes the file and removes its temporary name if it has one (an
    /// upload stored, cut short, refused or only checked).
    func discard() {
        if fd >= 0 { close(fd); fd = -1 }
        if let named { unlink(named) }
    }

    /// Makes the upload folder, removing what killed servers left in it:
    /// the named temporaries of uploads that never finished (unnamed ones
    /// leave nothing). Returns how many.
    static func prepareFolder(inbox: String) throws -> Int {
        let dir = inbox + "/" + folder
        if mkdir(dir, 0o777) != 0 && errno != EEXIST {
            throw EdupipeError.system("cannot make the upload folder \(dir)")
        }
        guard let names = AtomicFile.names(in: dir) else { throw EdupipeError(.io, "cannot read the upload folder \(dir)") }
        var removed = 0
        for name in names where name.hasSuffix(".part") && unlink(dir + "/" + name) == 0 { removed += 1 }
        return removed
    }
}

/// Numbers for temporary names, unique within the process.
private final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}
