import EdupipeSupport

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
    /// A carriage return outside quotes that does not end a CRLF (a file
    /// saved with CR-only line ends).
    case bareCarriageReturn(line: Int, field: Int)
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
    /// The reader's changing state, behind one pointer the reader holds as a
    /// `let`: reading it per record costs no dynamic exclusivity check, as a
    /// class's `var` properties would.
    @usableFromInline struct State {
        @usableFromInline var buffer: UnsafeMutableRawPointer
        var capacity: Int
        var pos = 0
        var end = 0
        var eof = false
        var started = false
        /// The current record's fields.
        @usableFromInline var fields = FieldSpans(capacity: 32)
        @usableFromInline var recordLine = 0
        /// The line where the next record would start.
        var nextLine = 1
    }

    private let source: ByteSource
    private let maxRecordBytes: Int
    // Reached from the inlinable accessors below: the validator (the next
    // stage, another module) reads every field through them.
    @usableFromInline let state: UnsafeMutablePointer<State>

    /// The line where the current record starts (1-based).
    @inlinable public var recordLine: Int { state.pointee.recordLine }

    public init(source: ByteSource, maxRecordBytes: Int = 1 << 20, initialCapacity: Int = 1 << 16) {
        self.source = source
        // Field offsets are 32-bit: a record never grows past 1 GiB.
        let maxRecordBytes = max(1, min(maxRecordBytes, 1 << 30))
        self.maxRecordBytes = maxRecordBytes
        let capacity = max(64, min(initialCapacity, maxRecordBytes + 8))
        state = .allocate(capacity: 1)
        state.initialize(to: State(buffer: .allocate(byteCount: capacity, alignment: 16), capacity: capacity))
    }

    deinit {
        state.pointee.buffer.deallocate()
        state.pointee.fields.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Fields in the current record.
    @inlinable public var fieldCount: Int { state.pointee.fields.count }

    /// The bytes of field `i` of the current record, quotes removed and `""`
    /// unescaped, not trimmed.
    @inlinable @inline(__always)
    public func field(_ i: Int) -> UnsafeRawBufferPointer {
        let span = state.pointee.fields.base[i]
        return UnsafeRawBufferPointer(start: state.pointee.buffer + Int(span.start), count: Int(span.end - span.start))
    }

    /// Moves to the next non-blank record; false at the end of the input.
    public func next() throws(CSVReadError) -> Bool {
        let s = state
        if !s.pointee.started { try start() }
        while true {
            if s.pointee.pos == s.pointee.end {
                if s.pointee.eof { return false }
                try refill()
                continue
            }
            switch Self.scanRecord(&s.pointee) {
            case .complete(let newPos, let lines):
                s.pointee.recordLine = s.pointee.nextLine
                s.pointee.nextLine += lines
                s.pointee.pos = newPos
                // A record of one field only can be a blank line.
                if s.pointee.fields.count == 1 && Self.isBlankRecord(s.pointee) { continue }
                if s.pointee.fields.hasEscapes { Self.unescapeQuotedFields(&s.pointee) }
                return true
            case .needMore:
                if s.pointee.end - s.pointee.pos >= maxRecordBytes {
                    throw .recordTooLong(line: s.pointee.nextLine, limit: maxRecordBytes)
                }
                try refill()
            case .unterminatedQuote(let field):
                throw .unterminatedQuote(line: s.pointee.nextLine, field: field)
            case .textAfterQuote(let field):
                throw .textAfterQuote(line: s.pointee.nextLine, field: field)
            case .bareCarriageReturn(let field, let lines):
                throw .bareCarriageReturn(line: s.pointee.nextLine + lines, field: field)
            }
        }
    }

    private func start() throws(CSVReadError) {
        state.pointee.started = true
        while state.pointee.end < 3 && !state.pointee.eof { try refill() }
        let b = state.pointee.buffer
        if state.pointee.end >= 3,
           b.load(fromByteOffset: 0, as: UInt8.self) == 0xEF,
           b.load(fromByteOffset: 1, as: UInt8.self) == 0xBB,
           b.load(fromByteOffset: 2, as: UInt8.self) == 0xBF {
            state.pointee.pos = 3
        }
    }

    /// Keeps the unfinished record, moved to the front, and reads more after it.
    private func refill() throws(CSVReadError) {
        let s = state
        if s.pointee.pos > 0 {
            let keep = s.pointee.end - s.pointee.pos
            if keep > 0 { s.pointee.buffer.copyMemory(from: s.pointee.buffer + s.pointee.pos, byteCount: keep) }
            s.pointee.pos = 0
            s.pointee.end = keep
        }
        // Grow while a record fills most of the buffer, so reads stay large
        // (and every source gets room for at least a whole character).
        if s.pointee.capacity - s.pointee.end < s.pointee.capacity / 4 {
            let newCapacity = min(s.pointee.capacity * 2, maxRecordBytes + 8)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            grown.copyMemory(from: s.pointee.buffer, byteCount: s.pointee.end)
            s.pointee.buffer.deallocate()
            s.pointee.buffer = grown
            s.pointee.capacity = newCapacity
        }
        let room = UnsafeMutableRawBufferPointer(start: s.pointee.buffer + s.pointee.end, count: s.pointee.capacity - s.pointee.end)
        // No room means the record is at its limit: never read nothing and
        // take it for the end of the file.
        guard room.count > 0 else { throw .recordTooLong(line: s.pointee.nextLine, limit: maxRecordBytes) }
        do {
            let n = try source.read(into: room)
            if n == 0 { s.pointee.eof = true } else { s.pointee.end += n }
        } catch {
            throw .input(error)
        }
    }

    private enum Scan {
        case complete(Int, lines: Int)
        case needMore
        case unterminatedQuote(Int)
        case textAfterQuote(Int)
        /// The field, and the line feeds inside the record before the CR.
        case bareCarriageReturn(Int, lines: Int)
    }

    /// Finds the fields of the record at `pos` without changing any byte, so
    /// that it can start over when the record is cut by the buffer's end.
    /// It works on local copies of the reader's state, so the byte loop reads
    /// no class property.
    private static func scanRecord(_ state: inout State) -> Scan {
        var spans = state.fields
        spans.count = 0
        defer { state.fields = spans }
        let b = state.buffer.assumingMemoryBound(to: UInt8.self)
        let end = state.end
        let eof = state.eof
        if let plain = scanPlainRecord(&spans, b, state.pos, end) { return plain }
        var p = state.pos
        var lines = 0
        while true {
            if p == end {
                // Only reachable after a comma, or at the record start handled
                // by next(): the record's last field is empty.
                if !eof { return .needMore }
                spans.append(p, p, 0)
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
                    if p == end { return eof ? .unterminatedQuote(spans.count) : .needMore }
                    if p + 1 == end && !eof { return .needMore }
                    if p + 1 < end && b[p + 1] == UInt8(ascii: "\"") {
                        hasEscapes = true
                        p += 2
                        continue
                    }
                    break
                }
                spans.append(contentStart, p, hasEscapes ? 3 : 1)
                p += 1
                // Only a comma or a line end may follow a closing quote
                // (RFC 4180; section 6): a space there is a syntax error.
                if p == end { return eof ? .complete(p, lines: lines) : .needMore }
                switch b[p] {
                case UInt8(ascii: ","):
                    p += 1
                case 0x0A:
                    return .complete(p + 1, lines: lines + 1)
                case 0x0D:
                    return carriageReturn(b, p, end, eof, field: spans.count - 1, lines: lines)
                default:
                    return .textAfterQuote(spans.count - 1)
                }
            } else {
                let fieldStart = p
                while p < end {
                    let c = b[p]
                    if c == UInt8(ascii: ",") || c == 0x0A || c == 0x0D { break }
                    p += 1
                }
                if p == end && !eof { return .needMore }
                spans.append(fieldStart, p, 0)
                if p == end { return .complete(p, lines: lines) }
                switch b[p] {
                case 0x0A:
                    return .complete(p + 1, lines: lines + 1)
                case 0x0D:
                    return carriageReturn(b, p, end, eof, field: spans.count - 1, lines: lines)
                default:
                    p += 1
                }
            }
        }
    }

    /// At a CR outside quotes: the record ends there if a LF follows (only
    /// LF and CRLF end a line, section 6); else the CR is bare.
    @inline(__always)
    private static func carriageReturn(_ b: UnsafeMutablePointer<UInt8>, _ p: Int, _ end: Int, _ eof: Bool,
                                       field: Int, lines: Int) -> Scan {
        if p + 1 == end { return eof ? .bareCarriageReturn(field, lines: lines) : .needMore }
        if b[p + 1] == 0x0A { return .complete(p + 2, lines: lines + 1) }
        return .bareCarriageReturn(field, lines: lines)
    }

    /// The common case, 8 bytes at a time: a record without quotes that ends
    /// inside the buffer. Returns nil (and no fields) for anything else, which
    /// the byte loop then reads. One mask per word marks the ASCII bytes
    /// below `-` (0x2D): every delimiter (comma, LF, CR, quote) is among them,
    /// and in a record of digits, codes and Chinese text nearly nothing else
    /// is, so each marked byte is read and told apart on its own.
    @inline(__always)
    private static func scanPlainRecord(_ spans: inout FieldSpans, _ b: UnsafeMutablePointer<UInt8>,
                                        _ start: Int, _ end: Int) -> Scan? {
        var p = start
        var fieldStart = start
        while p + 8 <= end {
            var marked = below2D(UnsafeRawPointer(b + p).loadUnaligned(as: UInt64.self))
            while marked != 0 {
                let i = p &+ marked.trailingZeroBitCount &>> 3
                marked &= marked &- 1
                switch b[i] {
                case UInt8(ascii: ","):
                    spans.append(fieldStart, i, 0)
                    fieldStart = i &+ 1
                case 0x0A:
                    spans.append(fieldStart, i, 0)
                    return .complete(i &+ 1, lines: 1)
                case 0x0D:
                    // Only the CR of a CRLF inside the buffer ends the record
                    // here; a bare CR, or one at the buffer's end, goes to the
                    // byte loop.
                    guard i &+ 1 < end, b[i &+ 1] == 0x0A else {
                        spans.count = 0
                        return nil
                    }
                    spans.append(fieldStart, i, 0)
                    return .complete(i &+ 2, lines: 1)
                case UInt8(ascii: "\""):
                    spans.count = 0
                    return nil
                default:
                    continue
                }
            }
            p &+= 8
        }
        spans.count = 0
        return nil
    }

    /// The high bit of each byte of `w` that is ASCII and below 0x2D,
    /// exactly: the low seven bits plus 0x53 reach 0x80 from 0x2D up, and
    /// never carry into the next byte.
    @inline(__always)
    private static func below2D(_ w: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((w & low) &+ 0x5353_5353_5353_5353) | w) & 0x8080_8080_8080_8080
    }

    /// A line with nothing on it, or only white space (section 6: every
    /// Unicode White_Space character, U+3000 and U+00A0 included), is not
    /// a record.
    private static func isBlankRecord(_ state: State) -> Bool {
        let fields = state.fields
        // A quoted field, even an empty one (""), is a value.
        guard fields.count == 1, fields.base[0].flags == 0 else { return false }
        let span = fields.base[0]
        return Bytes.isBlank(UnsafeRawBufferPointer(start: state.buffer + Int(span.start), count: Int(span.end - span.start)))
    }

    /// Turns `""` into `"` in place; safe because the record is complete and
    /// will not be scanned again.
    private static func unescapeQuotedFields(_ state: inout State) {
        let b = state.buffer.assumingMemoryBound(to: UInt8.self)
        let fields = state.fields
        for i in 0..<fields.count where fields.base[i].flags & 2 != 0 {
            var read = Int(fields.base[i].start)
            var write = read
            let stop = Int(fields.base[i].end)
            while read < stop {
                b[write] = b[read]
                read += b[read] == UInt8(ascii: "\"") ? 2 : 1
                write += 1
            }
            fields.base[i].end = Int32(write)
        }
    }
}

/// Start and end offsets of fields in the reader's buffer (at most
/// `maxRecordBytes` plus a little, so 32 bits suffice), grown by doubling.
@usableFromInline struct FieldSpans {
    @usableFromInline struct Span {
        @usableFromInline var start: Int32
        @usableFromInline var end: Int32
        /// Bit 0: quoted; bit 1: holds `""` escapes.
        var flags: UInt8
    }

    @usableFromInline private(set) var base: UnsafeMutablePointer<Span>
    private var capacity: Int
    @usableFromInline var count = 0 {
        didSet { if count == 0 { hasEscapes = false } }
    }
    /// Whether any field of the record holds `""` to unescape.
    private(set) var hasEscapes = false

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    func deallocate() { base.deallocate() }

    @inline(__always)
    mutating func append(_ start: Int, _ end: Int, _ flags: UInt8) {
        if count == capacity { grow() }
        base[count] = Span(start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end), flags: flags)
        if flags & 2 != 0 { hasEscapes = true }
        count += 1
    }

    @inline(never)
    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Span>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }
}
