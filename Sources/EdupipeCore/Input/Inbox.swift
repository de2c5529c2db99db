#if canImport(Glibc)
import Glibc
#endif

/// The files of an inbox folder, read recursively with `opendir`/`readdir`
/// (Foundation's enumerator costs more than the files' parsing on Linux).
///
/// A file's identity is its path relative to the inbox. Names starting with
/// `.` and names ending in `.part` or `.tmp` (uploads still in progress) are
/// skipped silently, and so is everything below such a folder. Symbolic
/// links to files are read; links to folders are not followed (no loops).
/// The inbox is only ever read.
public enum Inbox {
    public struct ScanError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Relative paths of every submission candidate, sorted by their bytes.
    public static func list(_ root: String) throws -> [String] {
        var found: [String] = []
        try walk(root: root, relative: "", into: &found)
        return found.sorted(by: bytewiseLess)
    }

    /// Byte order by `memcmp`: `String`'s own comparison, even on its UTF-8
    /// view, costs more than listing the folder.
    static func bytewiseLess(_ a: String, _ b: String) -> Bool {
        let less = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                guard let xs = x.baseAddress, let ys = y.baseAddress else { return x.count < y.count }
                let c = memcmp(xs, ys, min(x.count, y.count))
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
        return (less ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    public static func isSkipped(_ name: String) -> Bool {
        let u = name.utf8
        return u.first == UInt8(ascii: ".") || u.endsWith(".part".utf8) || u.endsWith(".tmp".utf8)
    }

    private static func walk(root: String, relative: String, into found: inout [String]) throws {
        let dirPath = relative.isEmpty ? root : root + "/" + relative
        guard let dir = opendir(dirPath) else {
            throw ScanError(description: "cannot read the inbox folder \(dirPath): \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var subfolders: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." || isSkipped(name) { continue }
            let rel = relative.isEmpty ? name : relative + "/" + name
            var kind = entry.pointee.d_type
            if kind == UInt8(DT_UNKNOWN) || kind == UInt8(DT_LNK) {
                var st = stat()
                // stat follows links: a link to a file is a file.
                guard stat(root + "/" + rel, &st) == 0 else { continue }
                let isDir = st.st_mode & S_IFMT == S_IFDIR
                if isDir && kind == UInt8(DT_LNK) { continue }
                kind = isDir ? UInt8(DT_DIR) : (st.st_mode & S_IFMT == S_IFREG ? UInt8(DT_REG) : 0)
            }
            if kind == UInt8(DT_DIR) {
                subfolders.append(rel)
            } else if kind == UInt8(DT_REG) {
                found.append(rel)
            }
        }
        for sub in subfolders { try walk(root: root, relative: sub, into: &found) }
    }
}

extension String.UTF8View {
    /// Whether the view ends with `suffix` (compared byte by byte).
    fileprivate func endsWith(_ suffix: String.UTF8View) -> Bool {
        count >= suffix.count && self[index(endIndex, offsetBy: -suffix.count)...].elementsEqual(suffix)
    }
}
