/// Reads the standard's flat XML form (section 1.5) without libxml2: a
/// declaration, a root element with attributes, and `<record>` elements whose
/// fields are attributes or child elements of plain text. It tells the same
/// delegate the same things `XMLSubmissionReader` would, in about a third of
/// the instructions of libxml2 and the callbacks around it
/// (docs/performance.md), because it knows the one shape a submission has.
///
/// It reads only what it is sure of and **declines** everything else: a
/// comment, a processing instruction, a DOCTYPE or CDATA section, a prefix
/// or a non-ASCII name, a character or entity reference other than the five
/// predefined ones in text, a reference, tab, line end or `<` in an
/// attribute value, a lone carriage return, an unknown element or attribute,
/// markup inside a field, any error of well-formedness, and any error from
/// the source (bytes that do not decode, a file too large). The caller then
/// reads the file again through `XMLSubmissionReader`, with a fresh
/// delegate, so every document it declines is judged exactly as before, and
/// every error is still libxml2's with libxml2's line and column. FuzzXML
/// holds the two to each other on every document this reader takes.
///
/// Safety: the document is read into one buffer of fixed size; a token (a
/// start tag with its attributes, or a whole record) that does not fit it is
/// declined, never grown into. Values point into that buffer, or into an
/// arena of `maxValueBytes` per field when a predefined entity has to be
/// replaced, with the same bound and cut as `XMLSubmissionReader`.
package final class FlatXMLReader {
    package enum Outcome: Equatable { case read, declined }

    /// Why a token could not be taken: the buffer ends inside it, or it is
    /// something this reader does not read.
    private enum Halt: Error { case more, decline }

    private enum Phase { case start, prolog, root, epilog }

    /// Byte classes, a bit each.
    private static let nameStart: UInt8 = 1, nameByte: UInt8 = 2, textStop: UInt8 = 4, valueStop: UInt8 = 8
    private static let maxValueBytes = FieldNames.maxValueBytes
    private static let bufferSize = 1 << 16

    /// Every byte's classes, made once for every reader (a reader lives for
    /// one file). Never written after it is made, never freed.
    nonisolated(unsafe) private static let classTable: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for b in 0..<256 {
            var c: UInt8 = 0
            let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
            if letter { c |= nameStart | nameByte }
            if (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E { c |= nameByte }
            if b < 0x20 || b == 0x3C || b == 0x26 || b == 0x3E || b == 0xEF { c |= textStop }
            if b < 0x20 || b == 0x3C || b == 0x26 || b == 0x22 || b == 0x27 || b == 0xEF { c |= valueStop }
            table[b] = c
        }
        return UnsafePointer(table)
    }()

    private let delegate: XMLSubmissionDelegate
    private let fieldCount: Int
    private let names: FieldNames
    private let classes: UnsafePointer<UInt8>
    private let buffer: UnsafeMutableRawBufferPointer
    private let arena: UnsafeMutablePointer<UInt8>
    private let arenaCapacity: Int
    /// Per field, the value of the open record: where it starts (in the
    /// buffer or the arena) and its length, -1 when not given.
    private let valueStart: UnsafeMutablePointer<UnsafeRawPointer?>
    private let valueLength: UnsafeMutablePointer<Int>
    private let values: FieldValues

    @exclusivity(unchecked) private var arenaCount = 0
    @exclusivity(unchecked) private var lastField = -1
    @exclusivity(unchecked) private var twice: UInt64 = 0
    /// The line of the byte the next token starts at.
    @exclusivity(unchecked) private var line = 1
    @exclusivity(unchecked) private var rootName: [UInt8] = []

    package init(fieldNames: [String], delegate: XMLSubmissionDelegate) {
        self.delegate = delegate
        let n = fieldNames.count
        fieldCount = n
        names = FieldNames(fieldNames)
        classes = Self.classTable
        buffer = .allocate(byteCount: Self.bufferSize, alignment: 16)
        arenaCapacity = max(1, n) * Self.maxValueBytes
        arena = .allocate(capacity: arenaCapacity)
        valueStart = .allocate(capacity: max(1, n))
        valueStart.initialize(repeating: nil, count: max(1, n))
        valueLength = .allocate(capacity: max(1, n))
        valueLength.initialize(repeating: -1, count: max(1, n))
        values = FieldValues(count: n)
    }

    deinit {
        names.deallocate()
        buffer.deallocate()
        arena.deallocate()
        valueStart.deallocate()
        valueLength.deallocate()
        values.deallocate()
    }

    /// Reads the whole document from `content` (decoded as
    /// `XMLSubmissionReader` decodes it: to UTF-8 behind a byte-order mark).
    /// `.declined` means the delegate may have heard part of it, which must
    /// be thrown away.
    package func read(_ content: ByteSource) -> Outcome {
        guard let source = try? XMLDeclaredEncoding.decodingSource(content, countingLines: false),
              let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .declined }
        var start = 0, end = 0
        var atEOF = false
        var phase = Phase.start
        line = 1
        while true {
            var c = Cursor(p: UnsafePointer(base + start), end: UnsafePointer(base + end))
            do throws(Halt) {
                try step(&c, &phase, atEOF: atEOF)
                if phase == .epilog && c.p == c.end && atEOF { return .read }
                start = UnsafePointer(base).distance(to: c.p)
                line += c.lines
                continue
            } catch .decline {
                return .declined
            } catch {
                // More bytes are needed for the token at `start`.
            }
            if atEOF { return .declined }
            if start > 0 {
                let left = end - start
                if left > 0 { (base).update(from: base + start, count: left) }
                start = 0
                end = left
            }
            guard end < Self.bufferSize else { return .declined }
            // Fill the buffer, not just one read: a token is parsed again
            // from its start after each refill, so a source that gives a
            // few bytes a read must not make that quadratic.
            do {
                while end < Self.bufferSize {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
                    if n == 0 { atEOF = true; break }
                    end += n
                }
            } catch {
                return .declined
            }
        }
    }

    /// Reads one token at the cursor: it either consumes it whole (and says
    /// so to the delegate) or throws, leaving nothing said.
    private func step(_ c: inout Cursor, _ phase: inout Phase, atEOF: Bool) throws(Halt) {
        switch phase {
        case .start:
            guard try c.peek(2) == 0xBF, c.p[0] == 0xEF, c.p[1] == 0xBB else { throw .decline }
            c.p += 3
            if try c.peek() == UInt8(ascii: "<"), try c.peek(1) == UInt8(ascii: "?") { try declaration(&c) }
            phase = .prolog
        case .prolog:
            try c.skipBlanks()
            guard try c.peek() == UInt8(ascii: "<") else { throw .decline }
            let empty = try rootTag(&c)
            phase = empty ? .epilog : .root
        case .root:
            try c.skipBlanks()
            guard try c.peek() == UInt8(ascii: "<") else { throw .decline }
            if try c.peek(1) == UInt8(ascii: "/") {
                c.p += 2
                try c.endTag(rootName)
                phase = .epilog
            } else {
                try record(&c)
            }
        case .epilog:
            try c.skipBlanks()
            if c.p == c.end { if atEOF { return } else { throw .more } }
            throw .decline
        }
    }

    /// `<?xml version="1.0" encoding="..." standalone="..."?>`, strictly.
    private func declaration(_ c: inout Cursor) throws(Halt) {
        try c.literal("<?xml")
        let keys: [StaticString] = ["version", "encoding", "standalone"]
        for (k, key) in keys.enumerated() {
            let mark = c.p, lines = c.lines
            let spaced = try c.skipBlanks()
            guard spaced, try c.peek() == key.utf8Start.pointee else {
                if k == 0 { throw .decline }
                c.p = mark
                c.lines = lines
                continue
            }
            try c.literal(key)
            let value = Array(try attributeValue(&c))
            switch k {
            case 0: guard value == Array("1.0".utf8) else { throw .decline }
            case 1:
                guard let first = value.first, classes[Int(first)] & Self.nameStart != 0, first != UInt8(ascii: "_"),
                      value.allSatisfy({ classes[Int($0)] & Self.nameByte != 0 }) else { throw .decline }
            default: guard value == Array("yes".utf8) || value == Array("no".utf8) else { throw .decline }
            }
        }
        try c.skipBlanks()
        try c.literal("?>")
    }

    /// The root's start tag; true when it is empty (`<root/>`).
    private func rootTag(_ c: inout Cursor) throws(Halt) -> Bool {
        let tagLine = line + c.lines
        c.p += 1
        let name = try c.name(classes)
        var attributes: [(name: String, value: String)] = []
        var names: Set<[UInt8]> = []
        while true {
            let spaced = try c.skipBlanks()
            let b = try c.peek()
            if b == UInt8(ascii: ">") || b == UInt8(ascii: "/") {
                c.p += 1
                if b == UInt8(ascii: "/") { try c.expect(UInt8(ascii: ">")) }
                rootName = Array(name)
                delegate.xmlRoot(name: String(decoding: name, as: UTF8.self), attributes: attributes, line: tagLine)
                return b == UInt8(ascii: "/")
            }
            guard spaced else { throw .decline }
            let attribute = Array(try c.name(classes))
            // A namespace declaration is no attribute to SAX; a name given
            // twice is not well formed.
            if attribute.starts(with: Array("xmlns".utf8)) || !names.insert(attribute).inserted { throw .decline }
            let value = try attributeValue(&c)
            attributes.append((String(decoding: attribute, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
    }

    /// `= "value"` after an attribute's name: the value's bytes, in the buffer.
    @inline(__always)
    private func attributeValue(_ c: inout Cursor) throws(Halt) -> UnsafeBufferPointer<UInt8> {
        try c.skipBlanks()
        try c.expect(UInt8(ascii: "="))
        try c.skipBlanks()
        let quote = try c.peek()
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw .decline }
        c.p += 1
        let from = c.p
        while true {
            while c.p < c.end && classes[Int(c.p.pointee)] & Self.valueStop == 0 { c.p += 1 }
            let b = try c.peek()
            if b == quote { break }
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { c.p += 1; continue }
            if b == 0xEF { try c.notNonCharacter(); continue }
            // `<`, `&`, and the tab and line ends that attribute values are
            // normalized from.
            throw .decline
        }
        let value = UnsafeBufferPointer(start: from, count: from.distance(to: c.p))
        c.p += 1
        return value
    }

    /// One `<record>`, start tag to end tag (or `<record .../>`), told to
    /// the delegate once it is read whole.
    private func record(_ c: inout Cursor) throws(Halt) {
        let recordLine = line + c.lines
        try c.literal("<record")
        arenaCount = 0
        lastField = -1
        twice = 0
        valueLength.update(repeating: -1, count: fieldCount)
        while true {
            let spaced = try c.skipBlanks()
            let b = try c.peek()
            if b == UInt8(ascii: "/") {
                c.p += 1
                try c.expect(UInt8(ascii: ">"))
                return emit(line: recordLine)
            }
            if b == UInt8(ascii: ">") {
                c.p += 1
                break
            }
            guard spaced else { throw .decline }
            let name = try c.name(classes)
            // An unknown attribute, or one given twice (not well formed
            // without prefixes), is for libxml2's reader to report.
            guard let index = fieldIndex(name), valueLength[index] < 0 else { throw .decline }
            let value = try attributeValue(&c)
            valueStart[index] = UnsafeRawPointer(value.baseAddress)
            valueLength[index] = value.count
        }
        while true {
            try c.skipBlanks()
            guard try c.peek() == UInt8(ascii: "<") else { throw .decline }
            if try c.peek(1) == UInt8(ascii: "/") {
                c.p += 2
                try c.endTag("record")
                return emit(line: recordLine)
            }
            c.p += 1
            try fieldElement(&c)
        }
    }

    /// `<field>text</field>` or `<field/>` inside a record.
    private func fieldElement(_ c: inout Cursor) throws(Halt) {
        let name = try c.name(classes)
        guard let index = fieldIndex(name) else { throw .decline }
        let repeated = valueLength[index] >= 0
        if repeated { twice |= FieldNames.bit(index) }
        try c.skipBlanks()
        let b = try c.peek()
        c.p += 1
        if b == UInt8(ascii: "/") {
            try c.expect(UInt8(ascii: ">"))
            if !repeated {
                valueStart[index] = UnsafeRawPointer(c.p)
                valueLength[index] = 0
            }
            return
        }
        guard b == UInt8(ascii: ">") else { throw .decline }
        let from = c.p
        var copied = false
        var runStart = c.p
        while true {
            while c.p < c.end && classes[Int(c.p.pointee)] & Self.textStop == 0 { c.p += 1 }
            let b = try c.peek()
            switch b {
            case UInt8(ascii: "<"):
                break
            case 0x0A:
                c.lines += 1
                c.p += 1
                continue
            case 0x09:
                c.p += 1
                continue
            case 0xEF:
                try c.notNonCharacter()
                continue
            case UInt8(ascii: "&"):
                if !repeated {
                    if !copied {
                        valueStart[index] = UnsafeRawPointer(arena + arenaCount)
                        valueLength[index] = 0
                        copied = true
                    }
                    append(runStart, runStart.distance(to: c.p), to: index)
                }
                var replacement = try c.predefinedEntity()
                if !repeated { append(&replacement, 1, to: index) }
                runStart = c.p
                continue
            default:
                // `>` (which may end `]]>`), a carriage return, a control character.
                throw .decline
            }
            break
        }
        if !repeated {
            if copied {
                append(runStart, runStart.distance(to: c.p), to: index)
            } else {
                valueStart[index] = UnsafeRawPointer(from)
                valueLength[index] = from.distance(to: c.p)
            }
        }
        // Markup inside a field is not read here.
        guard try c.peek(1) == UInt8(ascii: "/") else { throw .decline }
        c.p += 2
        try c.endTag(UnsafeBufferPointer(start: name.baseAddress, count: name.count))
    }

    /// Appends replaced text to a field's value in the arena, cut at
    /// `maxValueBytes` as `XMLSubmissionReader` cuts it.
    private func append(_ from: UnsafePointer<UInt8>, _ count: Int, to field: Int) {
        let n = min(count, Self.maxValueBytes - valueLength[field], arenaCapacity - arenaCount)
        guard n > 0 else { return }
        (arena + arenaCount).update(from: from, count: n)
        arenaCount += n
        valueLength[field] += n
    }

    private func emit(line: Int) {
        for i in 0..<fieldCount {
            let n = valueLength[i]
            values[i] = n >= 0
                ? UnsafeRawBufferPointer(start: valueStart[i], count: min(n, Self.maxValueBytes))
                : UnsafeRawBufferPointer(start: nil, count: 0)
        }
        delegate.xmlRecord(values, line: line, twice: twice, markup: 0)
    }

    @inline(__always)
    private func fieldIndex(_ name: UnsafeBufferPointer<UInt8>) -> Int? {
        names.index(of: UnsafeRawBufferPointer(name), after: &lastField)
    }

    /// A position in the buffer, and the line feeds passed since the token began.
    private struct Cursor {
        var p: UnsafePointer<UInt8>
        let end: UnsafePointer<UInt8>
        var lines = 0

        init(p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) {
            self.p = p
            self.end = end
        }

        @inline(__always) func peek() throws(Halt) -> UInt8 {
            guard p < end else { throw .more }
            return p.pointee
        }

        @inline(__always) func peek(_ k: Int) throws(Halt) -> UInt8 {
            guard p.distance(to: end) > k else { throw .more }
            return p[k]
        }

        @inline(__always) mutating func expect(_ b: UInt8) throws(Halt) {
            guard try peek() == b else { throw .decline }
            p += 1
        }

        @inline(__always) mutating func literal(_ s: StaticString) throws(Halt) {
            try literal(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }

        /// The bytes of `text`, checked once for room, then compared.
        @inline(__always) mutating func literal(_ text: UnsafeBufferPointer<UInt8>) throws(Halt) {
            guard let t = text.baseAddress else { return }
            let n = text.count
            guard p.distance(to: end) >= n else {
                // Too few bytes to tell: a differing byte among them declines now.
                for i in 0..<p.distance(to: end) where p[i] != t[i] { throw .decline }
                throw .more
            }
            for i in 0..<n where p[i] != t[i] { throw .decline }
            p += n
        }

        /// Skips white space; whether there was any. A carriage return must
        /// come before a line feed: libxml2 counts a lone one differently.
        @inline(__always) @discardableResult
        mutating func skipBlanks() throws(Halt) -> Bool {
            let from = p
            while p < end {
                switch p.pointee {
                case 0x20, 0x09: p += 1
                case 0x0A:
                    lines += 1
                    p += 1
                case 0x0D:
                    guard try peek(1) == 0x0A else { throw .decline }
                    lines += 1
                    p += 2
                default: return p != from
                }
            }
            return p != from
        }

        /// A name of ASCII letters, digits, `_`, `-` and `.`, starting with
        /// a letter or `_`; anything else that may be a name (a prefix, a
        /// non-ASCII letter) declines.
        @inline(__always)
        mutating func name(_ classes: UnsafePointer<UInt8>) throws(Halt) -> UnsafeBufferPointer<UInt8> {
            guard classes[Int(try peek())] & FlatXMLReader.nameStart != 0 else { throw .decline }
            let from = p
            p += 1
            while p < end && classes[Int(p.pointee)] & FlatXMLReader.nameByte != 0 { p += 1 }
            let b = try peek()
            if b == UInt8(ascii: ":") || b >= 0x80 { throw .decline }
            return UnsafeBufferPointer(start: from, count: from.distance(to: p))
        }

        /// `name S? >` after `</`.
        mutating func endTag(_ name: UnsafeBufferPointer<UInt8>) throws(Halt) {
            try literal(name)
            guard endsName(try peek()) else { throw .decline }
            try skipBlanks()
            try expect(UInt8(ascii: ">"))
        }

        mutating func endTag(_ name: [UInt8]) throws(Halt) {
            try name.withUnsafeBufferPointer { (n) throws(Halt) in try endTag(n) }
        }

        mutating func endTag(_ name: StaticString) throws(Halt) {
            try endTag(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        }

        /// Whether `b` may follow a name in an end tag: white space or `>`.
        @inline(__always) private func endsName(_ b: UInt8) -> Bool {
            b == UInt8(ascii: ">") || b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
        }

        /// At a 0xEF lead byte: U+FFFE and U+FFFF are not XML characters.
        @inline(__always) mutating func notNonCharacter() throws(Halt) {
            let second = try peek(1), third = try peek(2)
            if second == 0xBF && (third == 0xBE || third == 0xBF) { throw .decline }
            p += 1
        }

        /// `&lt;`, `&gt;`, `&amp;`, `&quot;` or `&apos;`: the character it
        /// stands for. Character references and other names decline.
        mutating func predefinedEntity() throws(Halt) -> UInt8 {
            let from = p
            p += 1
            var name: UInt32 = 0
            for _ in 0..<5 {
                let b = try peek()
                p += 1
                if b == UInt8(ascii: ";") {
                    switch name {
                    case 0x6C74: return UInt8(ascii: "<")
                    case 0x6774: return UInt8(ascii: ">")
                    case 0x616D70: return UInt8(ascii: "&")
                    case 0x71756F74: return UInt8(ascii: "\"")
                    case 0x61706F73: return UInt8(ascii: "'")
                    default: throw .decline
                    }
                }
                guard b >= 0x61 && b <= 0x7A else { throw .decline }
                name = name << 8 | UInt32(b)
            }
            p = from
            throw .decline
        }
    }
}
