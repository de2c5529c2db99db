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
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

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
