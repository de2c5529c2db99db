#if canImport(Glibc)
import Glibc
#endif

/// Creates a folder and any missing parents (mode 0700), like `mkdir -p`.
/// Used for the state folder, the output folders and synthetic inboxes.
public func makeDirectories(_ path: String) throws {
    var st = stat()
    if stat(path, &st) == 0 { return }
    let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
    if !parent.isEmpty && parent != path { try makeDirectories(parent) }
    if mkdir(path, 0o700) != 0 && errno != EEXIST {
        throw AtomicFile.WriteError(description: "cannot create the folder \(path): \(String(cString: strerror(errno)))")
    }
}
