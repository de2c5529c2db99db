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

    /// The same on any descriptor (the log file's).
    public static func write(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buf in
            guard let base = buf.baseAddress else { return }
            var offset = 0
            while offset < buf.count {
                let n = Glibc.write(fd, base + offset, buf.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
