#if canImport(Glibc)
import Glibc
#endif

/// Writes a file so that readers see the old version or the new one, never
/// half of it: the bytes go to a temporary file in the same folder, are
/// flushed to disk, and the temporary file is renamed over the target.
public enum AtomicFile {

    /// Temporary names carry this marker, so a later run can remove what a
    /// killed one left behind.
    public static let temporaryMarker = ".edupipe-tmp-"

    public static func write(_ bytes: some Collection<UInt8>, to path: String) throws {
        let writer = try Writer(path: path)
        try writer.append(bytes)
        try writer.commit()
    }

    public static func write(_ text: String, to path: String) throws {
        try write(text.utf8, to: path)
    }

    /// Streams a file in pieces, then commits it under its name.
    public final class Writer {
        public let path: String
        let temporary: String
        private var fd: Int32
        private var buffer: [UInt8] = []

        public init(path: String) throws {
            self.path = path
            temporary = AtomicFile.temporaryPath(for: path)
            fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd < 0 { throw EdupipeError.system("cannot write \(temporary)") }
            buffer.reserveCapacity(1 << 16)
        }

        deinit {
            if fd >= 0 {
                close(fd)
                unlink(temporary)
            }
        }

        /// Small pieces are gathered; large ones go straight to the file
        /// (without a copy when their storage is contiguous).
        public func append(_ bytes: some Collection<UInt8>) throws {
            guard bytes.count >= 1 << 14 else {
                buffer.append(contentsOf: bytes)
                if buffer.count >= 1 << 16 { try flush() }
                return
            }
            try flush()
            try SystemIO.writeAll(fd, bytes, path: path)
        }

        public func append(_ text: String) throws { try append(text.utf8) }

        private func flush() throws {
            try SystemIO.writeAll(fd, buffer, path: path)
            buffer.removeAll(keepingCapacity: true)
        }

        /// Flushes, syncs and renames; the file then exists under its name.
        public func commit() throws {
            try flush()
            if fsync(fd) != 0 { throw EdupipeError.system("cannot sync \(path)") }
            close(fd)
            fd = -1
            if rename(temporary, path) != 0 {
                let failure = EdupipeError.system("cannot rename \(temporary) to \(path)")
                unlink(temporary)
                throw failure
            }
        }
    }

    /// The names in folder `dir` (not `.` and `..`), or nil when it cannot
    /// be read.
    public static func names(in dir: String) -> [String]? {
        SystemIO.names(in: dir)
    }

    /// Where a file is written before it is renamed to `path`: the same
    /// folder, so the rename is atomic.
    public static func temporaryPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return dir + "/" + temporaryMarker + "\(getpid())-" + base
    }

    /// Syncs a finished temporary file written by other code (a ZIP
    /// library) and renames it to `path`; removes it if that fails.
    public static func publish(_ temporary: String, as path: String) throws {
        let fd = open(temporary, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, fsync(fd) == 0 else {
            let failure = EdupipeError.system("cannot sync \(path)")
            if fd >= 0 { close(fd) }
            unlink(temporary)
            throw failure
        }
        close(fd)
        if rename(temporary, path) != 0 {
            let failure = EdupipeError.system("cannot rename \(temporary) to \(path)")
            unlink(temporary)
            throw failure
        }
    }

    /// Removes temporary files a killed run left in `dir` (not recursive).
    public static func removeLeftovers(in dir: String) {
        for name in names(in: dir) ?? [] where name.hasPrefix(temporaryMarker) { unlink(dir + "/" + name) }
    }
}
