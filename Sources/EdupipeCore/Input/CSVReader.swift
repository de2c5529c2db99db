/// Why CSV reading stopped early.
public enum CSVReadError: Error, Sendable, Equatable {
    /// The byte source failed (decompression, size, encoding).
    case input(InputError)
    /// A quoted field is still open at the end of the file.
    case unterminatedQuote(line: Int, field: Int)
    /// Something other than a comma or a line end follows a closing quote.
    case textAfterQuote(line: Int, field: Int)
    /// A record is longer than the configured maximum (usually an open quote).
    case recordTooLong(line: Int, limit: Int)
}

/// An RFC 4180 reader over bytes: one reusable buffer and the offsets of the
/// fields of the current record, in the manner of rust-csv's `csv-core`.
///
/// `next()` makes the following record current; `field(i)` is a view into
/// the reader's buffer, valid until the next call. No field is copied or
/// turned into a `String`. Quotes, `""`, commas and line breaks inside
/// quotes, LF and CRLF line ends, a missing final line end and a UTF-8 BOM
/// are handled; blank lines are skipped. `recordLine` is the line where the
/// current record starts.
public final class CSVReader {
    private let source: ByteSource
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var pos = 0
    private var end = 0
    private var eof = false
    private var started = false
    private let maxRecordBytes: Int

    private var starts: [Int] = []
    private var ends: [Int] = []
    /// Per field: bit 0 quoted, bit 1 holds `""` escapes.
    private var flags: [UInt8] = []

    /// The line where the current record starts (1-based).
    public private(set) var recordLine = 0
    /// The line where the next record would start.
    private var nextLine = 1

    public init(source: ByteSource, maxRecordBytes: Int = 1 << 20, initialCapacity: Int = 1 << 18) {
        self.source = source
        self.maxRecordBytes = maxRecordBytes
        capacity = max(64, min(initialCapacity, maxRecordBytes + 8))
        buffer = .allocate(byteCount: capacity, alignment: 16)
        starts.reserveCapacity(32)
        ends.reserveCapacity(32)
        flags.reserveCapacity(32)
    }

    deinit { buffer.deallocate() }

    /// Fields in the current record.
    public var fieldCount: Int { starts.count }

    /// The bytes of field `i` of the current record, quotes removed and `""`
    /// unescaped, not trimmed.
    @inline(__always)
    public func field(_ i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer + starts[i], count: ends[i] - starts[i])
    }

    /// Moves to the next non-blank record; false at the end of the input.
    public func next() throws(CSVReadError) -> Bool {
        if !started { try start() }
        while true {
            if pos == end {
                if eof { return false }
                try refill()
                continue
            }
            switch scanRecord() {
            case .complete(let newPos, let lines):
                recordLine = nextLine
                nextLine += lines
                pos = newPos
                if isBlankRecord() { continue }
                unescapeQuotedFields()
                return true
            case .needMore:
                if end - pos >= maxRecordBytes {
                    throw .recordTooLong(line: nextLine, limit: maxRecordBytes)
                }
                try refill()
            case .unterminatedQuote(let field):
                throw .unterminatedQuote(line: nextLine, field: field)
            case .textAfterQuote(let field):
                throw .textAfterQuote(line: nextLine, field: field)
            }
        }
    }

    private func start() throws(CSVReadError) {
        started = true
        while end < 3 && !eof { try refill() }
        if end >= 3,
           buffer.load(fromByteOffset: 0, as: UInt8.self) == 0xEF,
           buffer.load(fromByteOffset: 1, as: UInt8.self) == 0xBB,
           buffer.load(fromByteOffset: 2, as: UInt8.self) == 0xBF {
            pos = 3
        }
    }

    /// Keeps the unfinished record, moved to the front, and reads more after it.
    private func refill() throws(CSVReadError) {
        if pos > 0 {
            let keep = end - pos
            if keep > 0 { buffer.copyMemory(from: buffer + pos, byteCount: keep) }
            pos = 0
            end = keep
        }
        if end == capacity {
            let newCapacity = min(capacity * 2, maxRecordBytes + 8)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            grown.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = grown
            capacity = newCapacity
        }
        do {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
            if n == 0 { eof = true } else { end += n }
        } catch {
            throw .input(error)
        }
    }

    private enum Scan {
        case complete(Int, lines: Int)
        case needMore
        case unterminatedQuote(Int)
        case textAfterQuote(Int)
    }

    /// Finds the fields of the record at `pos` without changing any byte, so
    /// that it can start over when the record is cut by the buffer's end.
    private func scanRecord() -> Scan {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        flags.removeAll(keepingCapacity: true)
        let b = buffer.assumingMemoryBound(to: UInt8.self)
        var p = pos
        var lines = 0
        while true {
            if p == end {
                // Only reachable after a comma, or at the record start handled
                // by next(): the record's last field is empty.
                if !eof { return .needMore }
                addField(p, p, 0)
                return .complete(p, lines: lines)
            }
            if b[p] == UInt8(ascii: "\"") {
                p += 1
                let contentStart = p
                var hasEscapes = false
                while true {
                    while p < end && b[p] != UInt8(ascii: "\"") {
                        if b[p] == 0x0A { lines += 1 }
                        p += 1
                    }
                    if p == end { return eof ? .unterminatedQuote(starts.count) : .needMore }
                    if p + 1 == end && !eof { return .needMore }
                    if p + 1 < end && b[p + 1] == UInt8(ascii: "\"") {
                        hasEscapes = true
                        p += 2
                        continue
                    }
                    break
                }
                addField(contentStart, p, hasEscapes ? 3 : 1)
                p += 1
                // White space between a closing quote and the delimiter is
                // tolerated: surrounding white space never counts.
                while p < end && (b[p] == 0x20 || b[p] == 0x09) { p += 1 }
                if p == end { return eof ? .complete(p, lines: lines) : .needMore }
                switch b[p] {
                case UInt8(ascii: ","):
                    p += 1
                case 0x0A:
                    return .complete(p + 1, lines: lines + 1)
                case 0x0D:
                    if p + 1 == end { return eof ? .complete(p + 1, lines: lines) : .needMore }
                    if b[p + 1] == 0x0A { return .complete(p + 2, lines: lines + 1) }
                    return .textAfterQuote(starts.count - 1)
                default:
                    return .textAfterQuote(starts.count - 1)
                }
            } else {
                let fieldStart = p
                while p < end {
                    let c = b[p]
                    if c == UInt8(ascii: ",") || c == 0x0A { break }
                    p += 1
                }
                if p == end {
                    if !eof { return .needMore }
                    var fieldEnd = p
                    if fieldEnd > fieldStart && b[fieldEnd - 1] == 0x0D { fieldEnd -= 1 }
                    addField(fieldStart, fieldEnd, 0)
                    return .complete(p, lines: lines)
                }
                if b[p] == 0x0A {
                    var fieldEnd = p
                    if fieldEnd > fieldStart && b[fieldEnd - 1] == 0x0D { fieldEnd -= 1 }
                    addField(fieldStart, fieldEnd, 0)
                    return .complete(p + 1, lines: lines + 1)
                }
                addField(fieldStart, p, 0)
                p += 1
            }
        }
    }

    @inline(__always)
    private func addField(_ start: Int, _ end: Int, _ fieldFlags: UInt8) {
        starts.append(start)
        ends.append(end)
        flags.append(fieldFlags)
    }

    /// A line with nothing on it, or only spaces and tabs, is not a record.
    private func isBlankRecord() -> Bool {
        // A quoted field, even an empty one (""), is a value.
        guard starts.count == 1, flags[0] == 0 else { return false }
        for i in starts[0]..<ends[0] {
            let c = buffer.load(fromByteOffset: i, as: UInt8.self)
            if c != 0x20 && c != 0x09 && c != 0x0D { return false }
        }
        return true
    }

    /// Turns `""` into `"` in place; safe because the record is complete and
    /// will not be scanned again.
    private func unescapeQuotedFields() {
        for i in 0..<flags.count where flags[i] & 2 != 0 {
            let b = buffer.assumingMemoryBound(to: UInt8.self)
            var read = starts[i]
            var write = starts[i]
            let stop = ends[i]
            while read < stop {
                b[write] = b[read]
                read += b[read] == UInt8(ascii: "\"") ? 2 : 1
                write += 1
            }
            ends[i] = write
        }
    }
}
