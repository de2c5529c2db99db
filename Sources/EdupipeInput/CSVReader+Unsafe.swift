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
        // A record never grows past 1 GiB, whatever the caller asks.
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
        state.pointee.fields.base[i]
    }

    /// The current record's fields with white space trimmed, in place, as
    /// the values the rules read: a view of the reader's own memory, valid
    /// until `next()`, never deallocated by the caller. `field(i)` gives the
    /// trimmed bytes from then on. No field is copied.
    @inlinable
    package func trimmedValues() -> FieldValues {
        let fields = state.pointee.fields
        if fields.needsTrim {
            for i in 0..<fields.count { fields.base[i] = Bytes.trim(fields.base[i]) }
        }
        return FieldValues(viewing: UnsafeMutableBufferPointer(start: fields.base, count: fields.count))
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
        spans.removeAll()
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
                spans.append(b, p, p, 0)
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
                spans.append(b, contentStart, p, hasEscapes ? 3 : 1)
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
                spans.append(b, fieldStart, p, 0)
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
    /// is, so each marked byte is read and told apart on its own. A record
    /// with no other marked byte and no byte above 0x7F has no white space
    /// to trim (`needsTrim` false).
    @inline(__always)
    private static func scanPlainRecord(_ spans: inout FieldSpans, _ b: UnsafeMutablePointer<UInt8>,
                                        _ start: Int, _ end: Int) -> Scan? {
        var p = start
        var fieldStart = start
        // Bytes above 0x7F, and marked bytes that are not delimiters.
        var high: UInt64 = 0
        var other = false
        while p &+ 8 <= end {
            let w = UnsafeRawPointer(b + p).loadUnaligned(as: UInt64.self)
            high |= w
            var marked = below2D(w)
            // A word holds at most eight delimiters: room for them first, so
            // that each one is stored without a check.
            spans.reserve(8)
            while marked != 0 {
                let i = p &+ marked.trailingZeroBitCount &>> 3
                marked &= marked &- 1
                let c = b[i]
                if c == UInt8(ascii: ",") {
                    spans.appendReserved(b, fieldStart, i)
                    fieldStart = i &+ 1
                } else if c == 0x0A {
                    spans.appendReserved(b, fieldStart, i)
                    spans.needsTrim = other || high & 0x8080_8080_8080_8080 != 0
                    return .complete(i &+ 1, lines: 1)
                } else if c == 0x0D {
                    // Only the CR of a CRLF inside the buffer ends the record
                    // here; a bare CR, or one at the buffer's end, goes to the
                    // byte loop.
                    guard i &+ 1 < end, b[i &+ 1] == 0x0A else {
                        spans.removeAll()
                        return nil
                    }
                    spans.appendReserved(b, fieldStart, i)
                    spans.needsTrim = other || high & 0x8080_8080_8080_8080 != 0
                    return .complete(i &+ 2, lines: 1)
                } else if c == UInt8(ascii: "\"") {
                    spans.removeAll()
                    return nil
                } else {
                    other = true
                }
            }
            p &+= 8
        }
        spans.removeAll()
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
        guard fields.count == 1, !fields.isQuoted(0) else { return false }
        return Bytes.isBlank(fields.base[0])
    }

    /// Turns `""` into `"` in place; safe because the record is complete and
    /// will not be scanned again.
    private static func unescapeQuotedFields(_ state: inout State) {
        let fields = state.fields
        for i in 0..<fields.count where fields.hasEscapes(i) {
            let field = fields.base[i]
            guard let start = field.baseAddress else { continue }
            let b = UnsafeMutablePointer(mutating: start.assumingMemoryBound(to: UInt8.self))
            var read = 0
            var write = 0
            while read < field.count {
                b[write] = b[read]
                read += b[read] == UInt8(ascii: "\"") ? 2 : 1
                write += 1
            }
            fields.base[i] = UnsafeRawBufferPointer(start: start, count: write)
        }
    }
}

/// The fields of the current record as views into the reader's buffer
/// (laid out as `FieldValues` reads them, so the rules can read them in
/// place), grown by doubling. Which fields were quoted, and which hold `""`
/// escapes, the byte loop writes for every field of its records; the plain
/// records of the word-at-a-time scan write nothing but their views, and
/// their flags are never read (`anyQuoted` and `hasEscapes` stay false).
@usableFromInline struct FieldSpans {
    @usableFromInline private(set) var base: UnsafeMutablePointer<UnsafeRawBufferPointer>
    /// Bit 0: quoted; bit 1: holds `""` escapes. Read only when `anyQuoted`
    /// (quoted) or `hasEscapes` (escapes) is set for the record.
    private var flags: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    @usableFromInline private(set) var count = 0
    /// Whether any field of the record was quoted.
    private var anyQuoted = false
    /// Whether any field of the record holds `""` to unescape.
    private(set) var hasEscapes = false
    /// Whether a field may begin or end with white space; false only when
    /// the scan saw none anywhere in the record.
    @usableFromInline var needsTrim = true

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
        flags = .allocate(capacity: capacity)
        flags.initialize(repeating: 0, count: capacity)
    }

    func deallocate() {
        base.deallocate()
        flags.deallocate()
    }

    @inline(__always)
    mutating func removeAll() {
        count = 0
        anyQuoted = false
        hasEscapes = false
        needsTrim = true
    }

    /// Makes room for `n` more fields.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        while capacity &- count < n { grow() }
    }

    /// A field of a record without quotes, in room `reserve` made.
    @inline(__always)
    mutating func appendReserved(_ b: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int) {
        base[count] = UnsafeRawBufferPointer(start: b + start, count: end &- start)
        count &+= 1
    }

    /// A field of the byte loop, with its flags.
    @inline(__always)
    mutating func append(_ b: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int, _ flags: UInt8) {
        if count == capacity { grow() }
        base[count] = UnsafeRawBufferPointer(start: b + start, count: end &- start)
        self.flags[count] = flags
        if flags & 1 != 0 { anyQuoted = true }
        if flags & 2 != 0 { hasEscapes = true }
        count += 1
    }

    func isQuoted(_ i: Int) -> Bool { anyQuoted && flags[i] & 1 != 0 }

    func hasEscapes(_ i: Int) -> Bool { hasEscapes && flags[i] & 2 != 0 }

    @inline(never)
    private mutating func grow() {
        let bigger = UnsafeMutablePointer<UnsafeRawBufferPointer>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        let biggerFlags = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
        biggerFlags.initialize(repeating: 0, count: capacity * 2)
        biggerFlags.update(from: flags, count: count)
        flags.deallocate()
        flags = biggerFlags
        capacity *= 2
    }
}
