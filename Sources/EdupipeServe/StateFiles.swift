#if canImport(Glibc)
import Glibc
#endif

/// The state folder's files hold accounts' token hashes, receipts and the
/// audit log: readable by the server's own user only, whatever the umask
/// or an older version made of them.
enum StateFiles {
    static let names = ["state.sqlite", "state.sqlite-wal", "state.sqlite-shm", "key", "edupipe.log.jsonl"]

    static func restrict(_ directory: String) {
        for name in names { chmod(directory + "/" + name, 0o600) }
    }
}
