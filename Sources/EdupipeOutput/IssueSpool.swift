#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport
import EdupipeStandard

/// Holds the `errors.csv` rows of the files one worker validated, on disk,
/// so that memory does not grow with the number of errors in an inbox. Each
/// file's rows are one segment; `errors.csv` is assembled from segments in
/// file order once every file is read.
public final class IssueSpool: @unchecked Sendable {
    public struct Segment: Sendable {
        public let offset: Int
        public let length: Int
    }

    public let path: String
    private let fd: Int32
    private var size = 0

    public init(directory: String, worker: Int) throws {
        path = directory + "/" + AtomicFile.temporaryMarker + "\(getpid())-spool-\(worker)"
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 { throw EdupipeError.system("cannot write \(path)") }
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// Appends one file's rows; returns where they are.
    public func append(_ rows: String) throws -> Segment {
        let start = size
        try SystemIO.writeAll(fd, rows, at: start, path: path)
        size += rows.utf8.count
        return Segment(offset: start, length: size - start)
    }

    /// Copies a segment into `writer`.
    public func copy(_ segment: Segment, to writer: AtomicFile.Writer) throws {
        var done = 0
        while done < segment.length {
            let want = min(1 << 16, segment.length - done)
            guard let chunk = SystemIO.read(fd, count: want, at: segment.offset + done), !chunk.isEmpty else {
                throw EdupipeError(.io, "cannot read back \(path)")
            }
            try writer.append(chunk)
            done += chunk.count
        }
    }

    /// The `errors.csv` rows of one file's issues.
    public static func rows(file: String, _ issues: [Issue]) -> String {
        var out = ""
        for i in issues {
            out += CSVLine.make([file, i.line.map(String.init), i.column, i.code.rawValue, i.message])
        }
        return out
    }
}
