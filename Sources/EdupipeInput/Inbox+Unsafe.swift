#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport

/// The files of an inbox folder, read recursively with `opendir`/`readdir`
/// (Foundation's enumerator costs more than the files' parsing on Linux).
///
/// A file's identity is its path relative to the inbox. Names starting with
/// `.` and names ending in `.part` or `.tmp` (uploads still in progress) are
/// skipped silently, and so is everything below such a folder. Symbolic
/// links to files are read; links to folders are not followed (no loops).
/// The inbox is only ever read.
public enum Inbox {

    /// One file of the inbox: `path`, relative to the inbox, is its identity
    /// in every output (see `RawPath.display`); `raw` is what opens it.
    public struct Entry: Sendable, Equatable {
        public let path: String
        public let raw: RawPath
        /// Why the entry cannot be read, found while listing (a folder that
        /// cannot be opened); nil for nearly every entry.
        public var problem: String? = nil
    }

    /// Relative paths of every submission candidate, sorted by their bytes.
    public static func list(_ root: String) throws -> [String] {
        try entries(root).map(\.path)
    }

    /// Every submission candidate, sorted by the bytes of its path. Names
    /// that are not UTF-8 are read like any other; a link that leads nowhere
    /// and anything that is not a regular file are listed too, so that the
    /// run reports them (`E_UNREADABLE`) instead of losing them. Only the
    /// root itself failing to open stops the scan; a subfolder that cannot
    /// be read is listed as an unreadable entry.
    public static func entries(_ root: String) throws -> [Entry] {
        let rootPath = RawPath(root)
        guard let dir = rootPath.withCString({ opendir($0) }) else {
            throw EdupipeError.system("cannot read the inbox folder \(root)")
        }
        var found: [(RawPath, String?)] = []
        walk(dir, root: rootPath, relative: nil, into: &found)
        found.sort { bytewiseLess($0.0.bytes, $1.0.bytes) }
        return found.map { Entry(path: $0.0.display, raw: $0.0, problem: $0.1) }
    }

    /// Byte order by `memcmp`: `String`'s own comparison, even on its UTF-8
    /// view, costs more than listing the folder.
    static func bytewiseLess(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                guard let xs = x.baseAddress, let ys = y.baseAddress else { return x.count < y.count }
                let c = memcmp(xs, ys, min(x.count, y.count))
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
    }

    static func isSkipped(bytes u: [UInt8]) -> Bool {
        func endsWith(_ suffix: String) -> Bool {
            let s = Array(suffix.utf8)
            return u.count >= s.count && Array(u[(u.count - s.count)...]) == s
        }
        return u.first == UInt8(ascii: ".") || endsWith(".part") || endsWith(".tmp")
    }

    /// Reads the open folder `dir` (closing it), then its subfolders.
    private static func walk(_ dir: OpaquePointer, root: RawPath, relative: RawPath?, into found: inout [(RawPath, String?)]) {
        var subfolders: [RawPath] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] || isSkipped(bytes: name) { continue }
            let rel = relative.map { $0.appending(RawPath(bytes: name)) } ?? RawPath(bytes: name)
            var kind = entry.pointee.d_type
            if kind == UInt8(DT_UNKNOWN) || kind == UInt8(DT_LNK) {
                var st = stat()
                // stat follows links: a link to a file is a file. A link to
                // nothing is listed, to be reported as unreadable.
                if root.appending(rel).withCString({ stat($0, &st) }) != 0 {
                    found.append((rel, nil))
                    continue
                }
                let isDir = st.st_mode & S_IFMT == S_IFDIR
                // Links to folders are not followed (no loops).
                if isDir && kind == UInt8(DT_LNK) { continue }
                kind = isDir ? UInt8(DT_DIR) : UInt8(DT_REG)
            }
            if kind == UInt8(DT_DIR) {
                subfolders.append(rel)
            } else {
                found.append((rel, nil))
            }
        }
        closedir(dir)
        for sub in subfolders {
            guard let subdir = root.appending(sub).withCString({ opendir($0) }) else {
                found.append((sub, "the folder \(sub.display) cannot be read: \(String(cString: strerror(errno))); its files are not counted until it can be"))
                continue
            }
            walk(subdir, root: root, relative: sub, into: &found)
        }
    }
}

