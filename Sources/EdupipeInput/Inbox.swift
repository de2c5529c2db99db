import EdupipeSupport

/// The files of an inbox folder, read recursively with `opendir`/`readdir`
/// through `SystemIO` (Foundation's enumerator costs more than the files'
/// parsing on Linux).
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
        guard case .success(let top) = SystemIO.entries(in: rootPath.bytes) else {
            throw EdupipeError.system("cannot read the inbox folder \(root)")
        }
        var found: [(RawPath, String?)] = []
        walk(top, root: rootPath, relative: nil, into: &found)
        found.sort { Bytes.less($0.0.bytes, $1.0.bytes) }
        return found.map { Entry(path: $0.0.display, raw: $0.0, problem: $0.1) }
    }

    static func isSkipped(bytes u: [UInt8]) -> Bool {
        func endsWith(_ suffix: String) -> Bool {
            let s = Array(suffix.utf8)
            return u.count >= s.count && Array(u[(u.count - s.count)...]) == s
        }
        return u.first == UInt8(ascii: ".") || endsWith(".part") || endsWith(".tmp")
    }

    /// Takes the entries of one folder, then reads its subfolders.
    private static func walk(_ entries: [(name: [UInt8], kind: SystemIO.EntryKind)], root: RawPath, relative: RawPath?,
                             into found: inout [(RawPath, String?)]) {
        var subfolders: [RawPath] = []
        for (name, kind) in entries where !isSkipped(bytes: name) {
            let rel = relative.map { $0.appending(RawPath(bytes: name)) } ?? RawPath(bytes: name)
            switch kind {
            case .folder: subfolders.append(rel)
            // Links to folders are not followed (no loops).
            case .linkToFolder: continue
            // A link to nothing is listed, to be reported as unreadable.
            case .notFolder, .broken: found.append((rel, nil))
            }
        }
        for sub in subfolders {
            switch SystemIO.entries(in: root.appending(sub).bytes) {
            case .success(let inner):
                walk(inner, root: root, relative: sub, into: &found)
            case .failure(let failure):
                found.append((sub, "the folder \(sub.display) cannot be read: \(SystemIO.message(failure.number)); its files are not counted until it can be"))
            }
        }
    }
}
