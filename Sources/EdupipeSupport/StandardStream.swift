#if canImport(Glibc)
import Glibc
#endif

/// Standard output and standard error, written without Foundation: the
/// command line's summaries and messages, and the log handlers' lines.
public enum StandardStream: Int32, Sendable {
    case output = 1
    case error = 2

    /// Writes all of `text`, retrying short writes; gives up quietly when
    /// the descriptor is gone (a closed pipe must not stop a run).
    public func write(_ text: String) { Self.write(rawValue, text) }

    /// Bytes as they are (a template, a guide), quietly as `write`.
    public func write(_ bytes: [UInt8]) { try? SystemIO.writeAll(rawValue, bytes, path: "standard output") }

    /// The same on any descriptor (the log file's).
    public static func write(_ fd: Int32, _ text: String) { SystemIO.writeQuietly(fd, text) }
}
