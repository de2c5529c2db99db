#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport

/// One run at a time per state folder: an exclusive `flock` on
/// `<state>/run.lock`, held for the whole run. The kernel releases it when
/// the process ends, however it ends, so a killed run never leaves a stale
/// lock behind.
public final class RunLock {
    public static let fileName = "run.lock"
    /// The lock of an output folder (hidden: it is no output).
    public static let outputFileName = ".edupipe.lock"
    private let fd: Int32

    /// Takes the lock of `directory`. When another run holds it, waits for
    /// it (`wait`, after calling `waiting` with who holds it) or throws
    /// `EdupipeError` `.busy`.
    ///
    /// `readOnlyAllowed`: a run that writes nothing to the folder (no
    /// ledger) may lock an existing lock file opened read-only (`flock`
    /// needs no write access), or run unlocked when the folder is read-only
    /// and has none.
    public init(directory: String, fileName: String = RunLock.fileName, kind: String = "state folder",
                wait: Bool, now: Int64, readOnlyAllowed: Bool = false, waiting: (String) -> Void = { _ in }) throws {
        let path = directory + "/" + fileName
        do {
            try makeDirectories(directory)
        } catch {
            throw EdupipeError(.io, "cannot create the folder \(directory): \(error)", cause: error)
        }
        var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        var writable = true
        if fd < 0 && readOnlyAllowed && (errno == EACCES || errno == EROFS || errno == EPERM) {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            writable = false
            if fd < 0 && errno == ENOENT {
                // Nothing to guard: this run writes nothing there.
                self.fd = -1
                return
            }
        }
        self.fd = fd
        guard fd >= 0 else {
            throw EdupipeError.system("cannot open the lock file \(path)")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else { throw failure(path) }
            let holder = Self.holder(fd)
            guard wait else {
                throw EdupipeError(.busy, "another edupipe run (\(holder)) is using the \(kind) \(directory): wait for it to finish, or pass --wait to start when it does")
            }
            waiting("waiting for the run that holds \(path) (\(holder))")
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else { throw failure(path) }
            }
        }
        guard writable else { return }
        let note = "pid \(getpid()), started \(LedgerTime.text(now))\n"
        // Who holds the lock is a courtesy for the next run's message: a
        // failure to write it changes nothing.
        if ftruncate(fd, 0) == 0 {
            try? SystemIO.writeAll(fd, note, at: 0, path: path)
        }
    }

    /// Also when the initialiser throws after opening the file: Swift runs
    /// `deinit` then, so the throwing paths must not close `fd` themselves.
    deinit { if fd >= 0 { close(fd) } }

    private func failure(_ path: String) -> EdupipeError {
        EdupipeError.system("cannot lock \(path)")
    }

    private static func holder(_ fd: Int32) -> String {
        let text = String(decoding: SystemIO.read(fd, count: 255, at: 0) ?? [], as: UTF8.self)
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.isEmpty ? "its process id is not recorded yet" : line
    }
}
