#if canImport(Glibc)
import Glibc
#endif

/// The system calls that move bytes between a file descriptor and memory,
/// behind APIs that take and give Swift collections: the only place
/// outside the readers where edupipe's cold code (the ledger's journal,
/// locks, spools, keys, uploads, standard output) touches a raw pointer.
/// Each call retries when a signal cuts it short.
package enum SystemIO {
    /// Writes every byte of `bytes` to `fd`: at `offset` when given, else at
    /// the file's position. Throws `EdupipeError` `.io` naming `path`.
    /// Contiguous collections (arrays, slices, a string's UTF-8, NIO's
    /// buffer views) are written in place; others are copied first.
    package static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>, at offset: Int? = nil, path: String) throws {
        let written: Void?? = try bytes.withContiguousStorageIfAvailable { buffer throws in
            try writeAll(fd, UnsafeRawBufferPointer(buffer), at: offset, path: path)
        }
        if written == nil {
            let copy = Array(bytes)
            try copy.withUnsafeBytes { try writeAll(fd, $0, at: offset, path: path) }
        }
    }

    /// The same for a string's UTF-8.
    package static func writeAll(_ fd: Int32, _ text: String, at offset: Int? = nil, path: String) throws {
        var text = text
        try text.withUTF8 { try writeAll(fd, UnsafeRawBufferPointer($0), at: offset, path: path) }
    }

    /// Writes what it can of `text` and gives up quietly on an error (a
    /// closed pipe must not stop a run); for standard output and logs.
    package static func writeQuietly(_ fd: Int32, _ text: String) {
        try? writeAll(fd, text, path: "")
    }

    /// Up to `count` bytes of `fd` from `offset` (fewer at the end of the
    /// file); nil when the read fails.
    package static func read(_ fd: Int32, count: Int, at offset: Int) -> [UInt8]? {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress! + done, count - done, off_t(offset + done))
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            done += n
        }
        bytes.removeSubrange(done...)
        return bytes
    }

    /// The names in folder `dir` (not `.` and `..`), or nil when it cannot
    /// be read.
    package static func names(in dir: String) -> [String]? {
        guard let d = opendir(dir) else { return nil }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = String(decoding: entryName(entry), as: UTF8.self)
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The name of a folder entry, read in place up to its NUL. glibc packs
    /// the entries `readdir` returns by their length (`d_reclen`), so the
    /// last one of its buffer can end a few bytes after its name: copying
    /// the entry's fixed 256-byte `d_name`, as `entry.pointee.d_name` does,
    /// read past the buffer, and crashed one national run in about ten
    /// when that buffer ended a mapping.
    private static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> [UInt8] {
        // `d_name` is a stored field: its offset is always known.
        guard let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) else { return [] }
        let start = UnsafeRawPointer(entry).advanced(by: offset)
        let length = strlen(start.assumingMemoryBound(to: CChar.self))
        return Array(UnsafeRawBufferPointer(start: start, count: length))
    }

    /// What a folder's entry is, links followed.
    package enum EntryKind: Sendable {
        case folder
        /// A symbolic link to a folder (callers do not follow it: no loops).
        case linkToFolder
        /// A regular file, or anything else that is not a folder (a pipe, a
        /// device): listed, for the reader to refuse.
        case notFolder
        /// A link that leads nowhere, or an entry `stat` cannot see.
        case broken
    }

    /// The entries of the folder at `path` (any bytes, not only UTF-8),
    /// without `.` and `..`, in the order the system gives them; the error
    /// number when the folder cannot be opened.
    package static func entries(in path: [UInt8]) -> Result<[(name: [UInt8], kind: EntryKind)], Failure> {
        guard let dir = withCString(path, { opendir($0) }) else { return .failure(Failure(number: errno)) }
        defer { closedir(dir) }
        var found: [(name: [UInt8], kind: EntryKind)] = []
        while let entry = readdir(dir) {
            let name = entryName(entry)
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            let type = entry.pointee.d_type
            var kind: EntryKind = type == UInt8(DT_DIR) ? .folder : .notFolder
            if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                var st = stat()
                // stat follows links: a link to a file is a file.
                if withCString(path + [UInt8(ascii: "/")] + name, { stat($0, &st) }) != 0 {
                    kind = .broken
                } else if st.st_mode & S_IFMT == S_IFDIR {
                    kind = type == UInt8(DT_LNK) ? .linkToFolder : .folder
                } else {
                    kind = .notFolder
                }
            }
            found.append((name, kind))
        }
        return .success(found)
    }

    /// The system's words for error `number`.
    package static func message(_ number: Int32) -> String { String(cString: strerror(number)) }

    /// Calls `body` with `path` as a NUL-terminated C string.
    package static func withCString<R>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        let c = path.map { CChar(bitPattern: $0) } + [0]
        return try c.withUnsafeBufferPointer { b in
            // Never nil: the array holds at least its terminating NUL.
            try body(b.baseAddress!)
        }
    }

    /// Starts `work` on a new thread; nil when the system gives none.
    package static func startThread(_ work: @escaping @Sendable () -> Void) -> pthread_t? {
        final class Box {
            let work: @Sendable () -> Void
            init(_ work: @escaping @Sendable () -> Void) { self.work = work }
        }
        let box = Unmanaged.passRetained(Box(work)).toOpaque()
        var tid = pthread_t()
        let rc = pthread_create(&tid, nil, { raw in
            // Never nil: the argument is the box passed below.
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().work()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            return nil
        }
        return tid
    }

    /// Waits for a thread `startThread` started.
    package static func join(_ thread: pthread_t) { pthread_join(thread, nil) }

    /// A system error number, as a `Result`'s failure.
    package struct Failure: Error, Sendable {
        package let number: Int32
    }

    /// Starts `executable` with `arguments` (the first is the program's
    /// name, as the child sees it) and the caller's environment, its
    /// standard output and error sent to /dev/null; the child's process id,
    /// or the error number `posix_spawn` gave.
    package static func spawnQuietly(_ executable: String, arguments: [[UInt8]]) -> Result<pid_t, Failure> {
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { bytes in
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (i, b) in bytes.enumerated() { p[i] = CChar(bitPattern: b) }
            p[bytes.count] = 0
            return p
        } + [nil]
        defer { argv.forEach { $0?.deallocate() } }
        var actions = posix_spawn_file_actions_t()
        guard posix_spawn_file_actions_init(&actions) == 0 else { return .failure(Failure(number: ENOMEM)) }
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [1, 2] {
            let rc = posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            guard rc == 0 else { return .failure(Failure(number: rc)) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        return rc == 0 ? .success(pid) : .failure(Failure(number: rc))
    }

    private static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer, at offset: Int?, path: String) throws {
        guard let base = raw.baseAddress else { return }
        var done = 0
        while done < raw.count {
            let n = offset.map { pwrite(fd, base + done, raw.count - done, off_t($0 + done)) }
                ?? Glibc.write(fd, base + done, raw.count - done)
            if n < 0 && errno == EINTR { continue }
            // Nothing written is a failure too, not a reason to try forever.
            guard n > 0 else { throw EdupipeError.system("cannot write \(path)") }
            done += n
        }
    }
}
