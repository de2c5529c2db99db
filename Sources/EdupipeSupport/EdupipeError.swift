#if canImport(Glibc)
import Glibc
#endif

/// Why edupipe's own work failed (not a verdict on a county's file, which
/// is an issue with a code of the standard): what kind of failure, for a
/// caller to switch on (the command line picks its exit status by it);
/// what a person reads; and what lies under it, the system's error number
/// or another error, as swift-nio's `FileSystemError` keeps them.
public struct EdupipeError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// A system call on a file or folder failed (`errno` says why).
        case io
        /// What the command needs is not there: the shipped plan or
        /// registry, a run's outputs, the inbox.
        case notFound
        /// A file edupipe reads as its own (the registry, a run's outputs,
        /// the ledger, the key file) is not as it should be.
        case invalidFile
        /// What the command was asked cannot be done as asked: folders that
        /// overlap, a scope that is no province or prefecture, a server's
        /// inbox or certificate.
        case invalidArgument
        /// Another process holds the state folder.
        case busy
    }

    public let code: Code
    /// What a person reads: what failed, where, and what to do.
    public let message: String
    /// The system's error number, when a system call failed.
    public let errno: Int32?
    /// The error underneath (SQLite's, a reader's), for a caller that wants it.
    public let cause: (any Error)?

    public var description: String { message }

    public init(_ code: Code, _ message: String, errno: Int32? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
        self.cause = cause
    }

    /// A system call's failure: `what` failed, then the system's words for
    /// `number`, the current `errno` unless the caller kept it before
    /// cleaning up (an `unlink` or `close` changes it).
    public static func system(_ what: String, errno number: Int32 = Glibc.errno) -> EdupipeError {
        EdupipeError(.io, "\(what): \(String(cString: strerror(number)))", errno: number)
    }
}
