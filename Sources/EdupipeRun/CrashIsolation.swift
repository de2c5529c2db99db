#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport
import EdupipeInput
import EdupipeStandard

/// Checks a file that a dead run had in hand by reading it in a child
/// process (`edupipe check-file`), so that a file that crashes the reader
/// kills only the child. A file whose check dies too is set aside as
/// rejected with `E_READER_CRASH`, and the night goes on.
public enum CrashIsolation {
    /// The check's outcome: the child read the file and exited, or died on
    /// it (the signal), or could not be started.
    public enum Outcome: Equatable, Sendable {
        case survived
        case crashed(signal: Int32)
        /// Still reading after `timeLimit` seconds: killed.
        case hung
        case notChecked(String)
    }

    /// A whole 1 GiB file validates in seconds; a check still running after
    /// this is stuck, and would hold up the night like a crash.
    static var timeLimit: Double {
        #if EDUPIPE_FAILPOINTS
        if let s = getenv("EDUPIPE_CHECK_SECONDS").flatMap({ Double(String(cString: $0)) }) { return s }
        #endif
        return 600
    }

    /// Reads `file` in `executable check-file`, with the plan and registry
    /// the run uses.
    public static func check(_ file: RawPath, executable: String, pipeline: String?, registry: String?) -> Outcome {
        var arguments = [Array(executable.utf8), Array("check-file".utf8), Array("--path-hex".utf8), Array(encodeHex(file.bytes).utf8)]
        if let pipeline { arguments += [Array("--pipeline".utf8), Array(pipeline.utf8)] }
        if let registry { arguments += [Array("--registry".utf8), Array(registry.utf8)] }
        // The child's messages are not the run's: the parent reads the file
        // itself once the child has shown it is safe to.
        let pid: pid_t
        switch SystemIO.spawnQuietly(executable, arguments: arguments) {
        case .success(let child): pid = child
        case .failure(let rc): return .notChecked("cannot start \(executable): \(String(cString: strerror(rc.number)))")
        }
        var status: Int32 = 0
        var waited = 0.0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { return .notChecked("lost the check's process: \(String(cString: strerror(errno)))") }
            if waited >= timeLimit {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return .hung
            }
            usleep(20_000)
            waited += 0.02
        }
        // WIFSIGNALED / WTERMSIG, spelled out (the C macros do not import).
        let signal = status & 0x7F
        if signal != 0 && signal != 0x7F { return .crashed(signal: signal) }
        return .survived
    }

    /// The issue of a file set aside: `signal` it died of, or nil when it
    /// did not finish.
    static func issue(signal: Int32?) -> Issue {
        let what = signal.map { "edupipe stopped (signal \($0)) while reading this file in an earlier run, and again when it checked the file on its own" }
            ?? "reading this file did not end in an earlier run, nor in \(Int(timeLimit)) seconds when edupipe checked it on its own"
        return Issue(.readerCrash, "\(what): the file is set aside as rejected so that the other counties' files are read. This is a fault in edupipe, not necessarily in the file: report it to the data office with the file; a new revision of the file is read as usual")
    }
}
