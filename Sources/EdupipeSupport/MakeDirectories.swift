#if canImport(Glibc)
import Glibc
#endif

/// Creates a folder and any missing parents (mode 0700 unless told),
/// like `mkdir -p`, and returns the folders it made, outermost first (which
/// a caller that syncs must sync). Used for the state folder, the output
/// folders, synthetic inboxes and the folders uploads are stored in.
@discardableResult
public func makeDirectories(_ path: String, mode: mode_t = 0o700) throws -> [String] {
    var st = stat()
    if stat(path, &st) == 0 { return [] }
    let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
    var made: [String] = []
    if !parent.isEmpty && parent != path { made = try makeDirectories(parent, mode: mode) }
    if mkdir(path, mode) == 0 {
        made.append(path)
    } else if errno != EEXIST {
        throw EdupipeError.system("cannot create the folder \(path)")
    }
    return made
}
