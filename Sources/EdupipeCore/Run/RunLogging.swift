#if canImport(Glibc)
import Glibc
#endif
import Logging

/// The run's logs: plain lines on stderr for the person at the terminal
/// (or cron's mail), and JSON lines appended to `<state>/edupipe.log.jsonl`
/// for the office's log tools. Messages never carry a full student ID: only
/// masked IDs reach issue messages.
public enum RunLogging {
    public static let fileName = "edupipe.log.jsonl"

    /// A logger writing `stderrLevel` and above to stderr and `fileLevel`
    /// and above to the JSON lines file in `stateDirectory` (none when nil).
    public static func logger(stderrLevel: Logger.Level, stateDirectory: String?, fileLevel: Logger.Level = .info) -> Logger {
        var handlers: [any LogHandler] = [StderrLogHandler(logLevel: stderrLevel)]
        if let stateDirectory, (try? makeDirectories(stateDirectory)) != nil {
            let fd = open(stateDirectory + "/" + fileName, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            if fd >= 0 { handlers.append(JSONLinesLogHandler(fd: fd, logLevel: fileLevel)) }
        }
        return Logger(label: "edupipe") { _ in MultiplexLogHandler(handlers) }
    }

    /// A logger that drops everything, for library callers and tests.
    public static var silent: Logger { Logger(label: "edupipe") { _ in SwiftLogNoOpLogHandler() } }

    /// Writes all of `line` to `fd`, retrying short writes; gives up quietly
    /// when the descriptor is gone (a closed pipe must not stop a run).
    public static func write(_ fd: Int32, _ line: String) {
        var line = line
        line.withUTF8 { buf in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

/// `edupipe: warning: message (key=value)` on stderr.
struct StderrLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = "edupipe: "
        if event.level >= .warning { line += "\(event.level): " }
        line += event.message.description
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        if !all.isEmpty {
            line += " (" + all.keys.sorted().map { "\($0)=\(all[$0]!)" }.joined(separator: ", ") + ")"
        }
        RunLogging.write(2, line + "\n")
    }
}

/// One JSON object per line: time, level, message and metadata. Each line
/// goes out in one `write` to a file opened for appending, so lines of
/// runs that wait on each other never interleave.
struct JSONLinesLogHandler: LogHandler {
    let fd: Int32
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var json = JSONWriter()
        json.beginObject()
        json.string("time", LedgerTime.iso(LedgerTime.now()))
        json.string("level", event.level.rawValue)
        json.string("message", event.message.description)
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in all.keys.sorted() { json.string(key, "\(all[key]!)") }
        json.endObject()
        RunLogging.write(fd, json.text + "\n")
    }
}
