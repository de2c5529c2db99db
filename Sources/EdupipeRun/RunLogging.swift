#if canImport(Glibc)
import Glibc
#endif
import Logging
import EdupipeSupport
import EdupipeInput
import EdupipeOutput

/// The run's logs: plain lines on stderr for the person at the terminal
/// (or cron's mail), and JSON lines appended to `<state>/edupipe.log.jsonl`
/// for the office's log tools. No line carries a full resident ID: every
/// line passes `ResidentIDMask` on its way out.
public enum RunLogging {
    public static let fileName = "edupipe.log.jsonl"

    /// A logger writing `stderrLevel` and above to stderr and `fileLevel`
    /// and above to the JSON lines file in `stateDirectory` (none when nil).
    public static func logger(stderrLevel: Logger.Level, stateDirectory: String?, fileLevel: Logger.Level = .info) -> Logger {
        logs(stderrLevel: stderrLevel, stateDirectory: stateDirectory, fileLevel: fileLevel).logger
    }

    /// The same logger, and the JSON lines file it writes as a writer of
    /// whole lines (nil when there is no file).
    public static func logs(stderrLevel: Logger.Level, stateDirectory: String?,
                            fileLevel: Logger.Level = .info) -> (logger: Logger, lines: JSONLines?) {
        var handlers: [any LogHandler] = [StderrLogHandler(logLevel: stderrLevel)]
        var lines: JSONLines?
        if let stateDirectory, (try? makeDirectories(stateDirectory)) != nil {
            let fd = open(stateDirectory + "/" + fileName, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            if fd >= 0 {
                handlers.append(JSONLinesLogHandler(fd: fd, logLevel: fileLevel))
                lines = JSONLines(fd: fd, logLevel: fileLevel)
            }
        }
        return (Logger(label: "edupipe") { _ in MultiplexLogHandler(handlers) }, lines)
    }

    /// A logger that drops everything, for library callers and tests.
    public static var silent: Logger { Logger(label: "edupipe") { _ in SwiftLogNoOpLogHandler() } }
}

/// What both handlers share: metadata kept by value, merged with the
/// event's own and sorted by key, and one `write` per event, so lines of
/// runs that wait on each other never interleave.
protocol LineLogHandler: LogHandler {
    var fd: Int32 { get }
    /// The event as one line, without its line end.
    func line(_ event: LogEvent, metadata: [(key: String, value: String)]) -> String
}

extension LineLogHandler {
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        // The last gate before a log line leaves: no full resident ID, from
        // whatever message, path or metadata value it came (section 6).
        let text = line(event, metadata: all.keys.sorted().map { ($0, "\(all[$0]!)") })
        StandardStream.write(fd, ResidentIDMask.scrub(text) + "\n")
    }
}

/// `edupipe: warning: message (key=value)` on stderr.
struct StderrLogHandler: LineLogHandler {
    let fd: Int32 = 2
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    func line(_ event: LogEvent, metadata: [(key: String, value: String)]) -> String {
        var line = "edupipe: "
        if event.level >= .warning { line += "\(event.level): " }
        line += event.message.description
        if !metadata.isEmpty {
            line += " (" + metadata.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
        }
        return line
    }
}

/// One JSON object per line, appended to the log file: time, level,
/// message, then the metadata.
struct JSONLinesLogHandler: LineLogHandler {
    let fd: Int32
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    func line(_ event: LogEvent, metadata: [(key: String, value: String)]) -> String {
        JSONLines.line(level: event.level, message: event.message.description, fields: metadata)
    }
}

/// The log's JSON lines file as a writer of whole lines, for a caller that
/// writes many lines of one shape: the server's line per request, which
/// through swift-log built, merged and sorted a metadata dictionary each
/// time (4% of the server's time). The line is the one the logger's
/// handler writes, and passes the same resident-ID mask on its way out.
public struct JSONLines: Sendable {
    let fd: Int32
    let logLevel: Logger.Level

    /// Writes one line, unless `level` is below the file's. `fields` come
    /// in the order the line shows them: the handler sorts its keys, so a
    /// caller that writes lines the logger also writes gives them sorted.
    public func write(_ message: String, level: Logger.Level = .info, fields: [(key: String, value: String)]) {
        guard level >= logLevel else { return }
        StandardStream.write(fd, ResidentIDMask.scrub(Self.line(level: level, message: message, fields: fields)) + "\n")
    }

    /// Time, level, message, then the fields.
    static func line(level: Logger.Level, message: String, fields: [(key: String, value: String)]) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.string("time", LedgerTime.iso(LedgerTime.now()))
        json.string("level", level.rawValue)
        json.string("message", message)
        for (key, value) in fields { json.string(key, value) }
        json.endObject()
        return json.text
    }
}
