#if EDUPIPE_FAILPOINTS
#if canImport(Glibc)
import Glibc
#endif

/// Test-only faults, compiled in only when the build defines
/// `EDUPIPE_FAILPOINTS` (as `make test` does; `make build` never does), so no
/// setting can switch them on in a binary that reads real files.
///
/// `EDUPIPE_FAILPOINT=crash:TEXT` makes the process die with SIGSEGV when it
/// starts reading a file whose path contains TEXT, as a reader bug would;
/// `hang:TEXT` makes it stop there for good.
package enum Failpoint {
    static let setting: (kind: String, text: String)? = {
        guard let value = getenv("EDUPIPE_FAILPOINT").map({ String(cString: $0) }),
              let colon = value.firstIndex(of: ":") else { return nil }
        return (String(value[..<colon]), String(value[value.index(after: colon)...]))
    }()

    package static func reading(_ path: String) {
        guard let (kind, text) = setting, !text.isEmpty, path.contains(text) else { return }
        switch kind {
        case "crash":
            // As a reader bug would: the default action, no handler.
            signal(SIGSEGV, SIG_DFL)
            raise(SIGSEGV)
        case "hang":
            while true { sleep(3600) }
        default:
            return
        }
    }
}
#endif
