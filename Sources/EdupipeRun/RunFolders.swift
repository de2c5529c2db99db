#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport

/// Checks that a run's inbox, output and state folders are apart: a run
/// whose outputs land in its inbox reads them the next night as
/// submissions (`E_FILENAME` by the hundred), and one whose inbox sits in
/// its outputs may have files removed under it.
public enum RunFolders {
    /// Throws `EdupipeError` `.invalidArgument` for a folder arrangement
    /// that cannot work (the commands exit 2).
    public static func check(inbox: String, out: String, state: String?) throws {
        // A missing inbox is the run's own error (exit 1), said when it is read.
        var st = stat()
        guard stat(inbox, &st) == 0 else { return }
        let i = canonical(inbox)
        var others = [("--out", out)]
        if let state { others.append(("--state", state)) }
        for (option, path) in others {
            let p = canonical(path)
            if contains(i, p) {
                throw EdupipeError(.invalidArgument, "\(option) \(path) is inside the inbox \(inbox) (or is the inbox): the next run would read its files as submissions. Choose a folder outside the inbox")
            }
            if contains(p, i) {
                throw EdupipeError(.invalidArgument, "the inbox \(inbox) is inside \(option) \(path): choose an inbox outside the folders edupipe writes")
            }
        }
    }

    /// Whether `inner` is `outer` or below it (both canonical).
    static func contains(_ outer: String, _ inner: String) -> Bool {
        inner == outer || inner.hasPrefix(outer.hasSuffix("/") ? outer : outer + "/")
    }

    /// The absolute path with links resolved, for as much of it as exists
    /// (an output folder may not exist yet); the rest is appended as given.
    static func canonical(_ path: String) -> String {
        var head = path.hasPrefix("/") ? path : currentDirectory() + "/" + path
        var tail: [String] = []
        while true {
            if let resolved = realpath(head, nil) {
                defer { free(resolved) }
                var result = String(cString: resolved)
                for part in tail.reversed() where part != "." && !part.isEmpty {
                    if part == ".." {
                        result = String(result[..<(result.lastIndex(of: "/") ?? result.startIndex)])
                    } else {
                        result += (result.hasSuffix("/") ? "" : "/") + part
                    }
                }
                return result.isEmpty ? "/" : result
            }
            guard let slash = head.lastIndex(of: "/"), head != "/" else { return path }
            tail.append(String(head[head.index(after: slash)...]))
            head = slash == head.startIndex ? "/" : String(head[..<slash])
        }
    }

    private static func currentDirectory() -> String {
        guard let cwd = getcwd(nil, 0) else { return "." }
        defer { free(cwd) }
        return String(cString: cwd)
    }
}
