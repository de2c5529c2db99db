#if EDUPIPE_FAILPOINTS
#if canImport(Glibc)
import Glibc
#endif

/// Test-only faults, compiled in only when the build defines
/// `EDUPIPE_FAILPOINTS` (as `make test` does; `make build` never does), so no
/// setting can switch them on in a binary that reads real files.
///
/// `EDUPIPE_FAILPOINT=crash:TEXT` makes the process die with SIGSEGV when it
/// starts reading a file whose path contains TEXT, as a reader bug would.
enum Failpoint {
    static let crashOn: String? = {
        guard let value = getenv("EDUPIPE_FAILPOINT").map({ String(cString: $0) }), value.hasPrefix("crash:") else { return nil }
        return String(value.dropFirst(6))
    }()

    static func reading(_ path: String) {
        if let text = crashOn, !text.isEmpty, path.contains(text) {
            // As a reader bug would: the default action, no handler.
            signal(SIGSEGV, SIG_DFL)
            raise(SIGSEGV)
        }
    }
}
#endif
