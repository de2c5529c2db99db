import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// What the XML reader reports while it reads a submission document.
package protocol XMLSubmissionDelegate: AnyObject {
    /// The root element, with its attributes (decoded, by local name, in
    /// document order: a name may come twice with different prefixes), and
    /// its line.
    func xmlRoot(name: String, attributes: [(name: String, value: String)], line: Int)
    /// One complete `<record>`: values indexed by the schema's fields, and
    /// (one bit per field) the fields given twice, in any mix of attributes
    /// and elements, prefixed or not (compared by local name), and those
    /// whose element holds an element. Both are judged at the field's place
    /// in the record's checks (section 6).
    func xmlRecord(_ values: FieldValues, line: Int, twice: UInt64, markup: UInt64)
    /// An element or attribute the standard does not know.
    func xmlUnknown(_ what: String, line: Int)
}

/// Why the XML reader stopped early.
package enum XMLStop: Equatable {
    case dtd(line: Int)
    case syntax(line: Int, column: Int, message: String)
    case encoding(line: Int, message: String)
}

/// Streams a submission document through libxml2's SAX2 push parser: each
/// chunk of (inflated) bytes goes to `xmlParseChunk`, records come out one
/// at a time into a reusable arena. Fields may be child elements or
/// attributes of `<record>`.
///
/// Safety: a DOCTYPE stops the parser in its `internalSubset` callback,
/// before the internal subset (where entities are declared) is read; entity
/// substitution and DTD loading are never enabled; `XML_PARSE_NONET` forbids
/// the network. Every value is copied into a fixed arena with a bound per
/// field and a field given twice is not stored again, so no document can
/// write past it. Every error of libxml2's, encoding ones included, comes
/// through the structured handler; nothing is printed.
///
/// Encodings: the declaration is read first. UTF-8 (or none) and the Chinese
/// encodings the standard names are decoded by `TextSource`, which says on
/// which line a byte does not decode; libxml2 gets UTF-8 behind a byte-order
/// mark and is told to ignore the declaration, so it never converts.
package final class XMLSubmissionReader {
    /// Everything the callbacks change, behind one pointer: the callbacks
    /// reach it through a `let`, so no dynamic exclusivity check is paid per
    /// element or per run of text.
    private struct State {
        var parser: xmlParserCtxtPtr?
        var stop: XMLStop?
        var depth = 0
        /// The line of the open `<record>`, 0 outside records.
        var recordLine = 0
        /// The schema field whose element is open at depth 3; -1 none, -2 a
        /// repeated field whose text is ignored.
        var openField = -1
        /// The field matched last: fields usually come in schema order, so
        /// the next one is tried first.
        var lastField = -1
        /// The current record's values, back to back; at most
        /// `maxValueBytes` per field, so it never grows.
        var arenaCount = 0
        /// Set when libxml2 reported an error that stopped it.
        var libraryFailed = false
        /// Fields of the open record given twice, and fields whose element
        /// holds an element: one bit per field.
        var twice: UInt64 = 0
        var markup: UInt64 = 0
    }

    private let arena: UnsafeMutablePointer<UInt8>
    private let arenaCapacity: Int
    /// Per field: where its value starts in the arena, and its length (-1:
    /// not given in this record).
    private let fieldStart: UnsafeMutablePointer<Int>
    private let fieldLength: UnsafeMutablePointer<Int>

    private let names: FieldNames
    private let fieldCount: Int
    /// Where records go. A strong reference: calling through it costs
    /// nothing, where an `unowned` one was a strong retain and a release at
    /// every callback. Readers live in a local of their delegate's method,
    /// so there is no cycle.
    private let delegate: XMLSubmissionDelegate
    private let state: UnsafeMutablePointer<State>
    private let values: FieldValues

    package var stop: XMLStop? { state.pointee.stop }

    package init(fieldNames: [String], delegate: XMLSubmissionDelegate) {
        self.delegate = delegate
        let n = fieldNames.count
        fieldCount = n
        names = FieldNames(fieldNames)
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        arenaCapacity = max(1, n) * FieldNames.maxValueBytes
        arena = .allocate(capacity: arenaCapacity)
        fieldStart = .allocate(capacity: n)
        fieldStart.initialize(repeating: 0, count: n)
        fieldLength = .allocate(capacity: n)
        fieldLength.initialize(repeating: -1, count: n)
        values = FieldValues(count: n)
    }

    deinit {
        if let parser = state.pointee.parser { xmlFreeParserCtxt(parser) }
        state.deinitialize(count: 1)
        state.deallocate()
        arena.deallocate()
        fieldStart.deallocate()
        fieldLength.deallocate()
        values.deallocate()
        names.deallocate()
    }

    /// Reads the whole document from `source`; afterwards `stop` says why it
    /// ended early, if it did.
    package func read(_ content: ByteSource, chunkSize: Int = 1 << 16) throws(InputError) {
        XMLSubmissionReader.initializeLibrary
        let me = Unmanaged.passUnretained(self).toOpaque()
        // Errors raised outside the parser context (libxml2's own encoding
        // converters) go to this thread's structured handler: ours while we
        // read, a silent one after, and the generic channel never prints.
        edupipe_xml_silence_generic_errors()
        xmlSetStructuredErrorFunc(me) { ctx, error in
            guard let ctx else { return }
            XMLSubmissionReader.with(ctx) { $0.libraryError(error) }
        }
        defer { xmlSetStructuredErrorFunc(nil) { _, _ in } }

        let source = try XMLDeclaredEncoding.decodingSource(content)
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = { ctx, localname, _, _, _, _, nbAttributes, _, attributes in
            XMLSubmissionReader.with(ctx) { $0.startElement(localname, nbAttributes, attributes) }
        }
        handler.endElementNs = { ctx, _, _, _ in XMLSubmissionReader.with(ctx) { $0.endElement() } }
        handler.characters = { ctx, ch, len in XMLSubmissionReader.with(ctx) { $0.text(ch, len) } }
        handler.cdataBlock = { ctx, ch, len in XMLSubmissionReader.with(ctx) { $0.text(ch, len) } }
        handler.internalSubset = { ctx, _, _, _ in XMLSubmissionReader.with(ctx) { $0.doctype() } }
        handler.serror = { ctx, error in XMLSubmissionReader.with(ctx) { $0.libraryError(error) } }

        guard let ctxt = xmlCreatePushParserCtxt(&handler, me, nil, 0, nil) else {
            throw .io("libxml2 could not create a parser")
        }
        state.pointee.parser = ctxt
        // The bytes reaching libxml2 are UTF-8 already: it must not convert.
        let options = XML_PARSE_NONET.rawValue | XML_PARSE_NOBLANKS.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_IGNORE_ENC.rawValue
        if xmlCtxtUseOptions(ctxt, Int32(bitPattern: options)) != 0 {
            throw .io("libxml2 refused the parser options")
        }

        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: max(16, chunkSize), alignment: 16)
        defer { chunk.deallocate() }
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: CChar.self) else { return }
        while state.pointee.stop == nil {
            let n = try source.read(into: chunk)
            let rc = xmlParseChunk(ctxt, base, Int32(n), n == 0 ? 1 : 0)
            if rc != 0 && state.pointee.stop == nil { failedWithoutReport(ctxt, code: rc) }
            if n == 0 { break }
        }
        // A document libxml2 found not well-formed is never taken as read,
        // whether or not an error reached the handler.
        if state.pointee.stop == nil && ctxt.pointee.wellFormed == 0 { failedWithoutReport(ctxt, code: ctxt.pointee.errNo) }
    }

    /// libxml2 stopped with no error through the handler (it halts quietly
    /// when its own converter fails on pushed bytes): the last error it
    /// recorded, or else an encoding failure at the current line.
    private func failedWithoutReport(_ ctxt: xmlParserCtxtPtr, code: Int32) {
        if let last = xmlCtxtGetLastError(ctxt), last.pointee.code != 0 {
            libraryError(last)
            if state.pointee.stop != nil { return }
        }
        if code == XML_ERR_INVALID_ENCODING.rawValue || code == XML_PARSER_EOF.rawValue || code == -1 {
            halt(.encoding(line: max(1, currentLine), message: "the bytes do not decode in the document's encoding"))
        } else {
            halt(.syntax(line: max(1, currentLine), column: 0, message: "libxml2 stopped with error \(code)"))
        }
    }

    private static let initializeLibrary: Void = {
        xmlInitParser()
    }()

    /// `body` on the reader behind libxml2's user data (the pointer it was
    /// given, never nil for our parser), without the retain and release of
    /// taking it out: the reader is alive for as long as `read` runs, and
    /// libxml2 calls back only from inside it.
    @inline(__always)
    private static func with(_ ctx: UnsafeMutableRawPointer?, _ body: (XMLSubmissionReader) -> Void) {
        guard let ctx else { preconditionFailure("libxml2 called back without the parser's user data") }
        Unmanaged<XMLSubmissionReader>.fromOpaque(ctx)._withUnsafeGuaranteedRef(body)
    }

    private func halt(_ reason: XMLStop) {
        if state.pointee.stop == nil { state.pointee.stop = reason }
        if let parser = state.pointee.parser { xmlStopParser(parser) }
    }

    private var currentLine: Int { state.pointee.parser.map { Int(xmlSAX2GetLineNumber($0)) } ?? 0 }

    /// The line where the start tag just parsed begins: libxml2 is past its
    /// attributes, which may span lines, so count back to its `<`.
    private func startTagLine() -> Int {
        guard let input = state.pointee.parser?.pointee.input, var p = input.pointee.cur, let base = input.pointee.base else {
            return currentLine
        }
        var line = Int(input.pointee.line)
        while p > base {
            p -= 1
            if p.pointee == UInt8(ascii: "<") { return line }
            if p.pointee == 0x0A { line -= 1 }
        }
        return currentLine
    }

    /// The schema field named `name` (NUL-terminated, as libxml2 gives it).
    private func fieldIndex(_ name: UnsafePointer<xmlChar>) -> Int? {
        names.index(of: UnsafeRawBufferPointer(start: name, count: strlen(name)), after: &state.pointee.lastField)
    }

    private func startElement(_ localname: UnsafePointer<xmlChar>?, _ nbAttributes: Int32,
                              _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard state.pointee.stop == nil, let localname else { return }
        state.pointee.depth += 1
        switch state.pointee.depth {
        case 1:
            var attrs: [(name: String, value: String)] = []
            for i in 0..<Int(nbAttributes) {
                guard let (name, value) = Self.attribute(attributes, i) else { continue }
                attrs.append((String(cString: name), String(decoding: Self.attributeText(value), as: UTF8.self)))
            }
            delegate.xmlRoot(name: String(cString: localname), attributes: attrs, line: startTagLine())
        case 2:
            guard strcmp(localname, "record") == 0 else {
                delegate.xmlUnknown("element <\(String(cString: localname))>", line: startTagLine())
                return
            }
            let line = startTagLine()
            state.pointee.recordLine = line
            state.pointee.arenaCount = 0
            state.pointee.lastField = -1
            state.pointee.twice = 0
            state.pointee.markup = 0
            fieldLength.update(repeating: -1, count: fieldCount)
            for i in 0..<Int(nbAttributes) {
                guard let (name, value) = Self.attribute(attributes, i) else { continue }
                guard let index = fieldIndex(name) else {
                    delegate.xmlUnknown("attribute \(String(cString: name))", line: line)
                    continue
                }
                if fieldLength[index] >= 0 {
                    // p0:students and p1:students are one field given twice.
                    state.pointee.twice |= FieldNames.bit(index)
                    continue
                }
                fieldStart[index] = state.pointee.arenaCount
                fieldLength[index] = 0
                appendAttribute(value, to: index)
            }
        case 3 where state.pointee.openField == -1 && state.pointee.recordLine > 0:
            guard let index = fieldIndex(localname) else {
                delegate.xmlUnknown("element <\(String(cString: localname))>", line: state.pointee.recordLine)
                return
            }
            if fieldLength[index] >= 0 {
                state.pointee.twice |= FieldNames.bit(index)
                // Keep the first value; the record is rejected anyway.
                state.pointee.openField = -2
                return
            }
            fieldStart[index] = state.pointee.arenaCount
            fieldLength[index] = 0
            state.pointee.openField = index
        case 4 where state.pointee.openField >= 0:
            // Markup inside a field's value (`<students>4<b/>5</students>`):
            // the value is not text, E_TYPE at the field's place.
            state.pointee.markup |= FieldNames.bit(state.pointee.openField)
        case 4 where state.pointee.openField == -2:
            // Inside a repeated field, already an error.
            break
        default:
            if state.pointee.recordLine > 0 {
                delegate.xmlUnknown("element <\(String(cString: localname))> inside a field", line: state.pointee.recordLine)
            }
        }
    }

    private func endElement() {
        guard state.pointee.stop == nil else { return }
        let depth = state.pointee.depth
        if depth == 3 { state.pointee.openField = -1 }
        if depth == 2 && state.pointee.recordLine > 0 {
            let line = state.pointee.recordLine
            for i in 0..<fieldCount {
                values[i] = fieldLength[i] >= 0
                    ? UnsafeRawBufferPointer(start: arena + fieldStart[i], count: fieldLength[i])
                    : UnsafeRawBufferPointer(start: nil, count: 0)
            }
            delegate.xmlRecord(values, line: line, twice: state.pointee.twice, markup: state.pointee.markup)
            state.pointee.recordLine = 0
        }
        state.pointee.depth -= 1
    }

    private func text(_ ch: UnsafePointer<xmlChar>?, _ len: Int32) {
        guard state.pointee.depth == 3, state.pointee.openField >= 0, state.pointee.stop == nil, let ch else { return }
        append(UnsafeBufferPointer(start: ch, count: Int(len)), to: state.pointee.openField)
    }

    /// Attribute `i` of libxml2's array (five pointers each: local name,
    /// prefix, URI, value start, value end), or nil if any part is missing.
    private static func attribute(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ i: Int)
        -> (name: UnsafePointer<xmlChar>, value: UnsafeBufferPointer<UInt8>)? {
        guard let a = attributes.map({ $0 + i * 5 }), let name = a[0], let start = a[3], let end = a[4], end >= start else {
            return nil
        }
        return (name, UnsafeBufferPointer(start: start, count: end - start))
    }

    /// An attribute's value as XML 1.0 (section 3.3.3) reads it. libxml2's
    /// SAX2 without entity substitution hands over every `&` of the value
    /// (from `&amp;` or `&#38;`) as the five characters `&#38;`, and has
    /// replaced every other reference already; so a `&` in what it gives
    /// always starts `&#38;`, which stands for `&` (section 6: `a&amp;b`
    /// is the three characters `a&b`).
    static func attributeText(_ value: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(value.count)
        var i = 0
        while i < value.count {
            out.append(value[i])
            if value[i] == UInt8(ascii: "&"), i + 4 < value.count, value[i + 1] == UInt8(ascii: "#"),
               value[i + 2] == UInt8(ascii: "3"), value[i + 3] == UInt8(ascii: "8"), value[i + 4] == UInt8(ascii: ";") {
                i += 5
            } else {
                i += 1
            }
        }
        return out
    }

    /// Appends an attribute's value to its field, references read.
    private func appendAttribute(_ value: UnsafeBufferPointer<UInt8>, to field: Int) {
        guard value.contains(UInt8(ascii: "&")) else { return append(value, to: field) }
        let text = Self.attributeText(value)
        text.withUnsafeBufferPointer { append($0, to: field) }
    }

    /// Appends text to the open field. A field's text arrives in one or
    /// more runs, with no other field's text between them, so its bytes stay
    /// contiguous at the end of the arena. Each field is stored once per
    /// record and at most `maxValueBytes` long, so the arena (that many
    /// bytes per field) cannot overflow; the capacity check says so again.
    private func append(_ bytes: UnsafeBufferPointer<UInt8>, to field: Int) {
        let n = min(bytes.count, FieldNames.maxValueBytes - fieldLength[field], arenaCapacity - state.pointee.arenaCount)
        guard n > 0, let from = bytes.baseAddress else { return }
        (arena + state.pointee.arenaCount).update(from: from, count: n)
        state.pointee.arenaCount += n
        fieldLength[field] += n
    }

    private func doctype() {
        halt(.dtd(line: currentLine))
    }

    private func libraryError(_ error: UnsafePointer<xmlError>?) {
        guard let e = error?.pointee, e.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        // Namespace errors (an undeclared prefix) leave the document well
        // formed, and libxml2 reads on: names are compared by their local
        // part, so a prefix, declared or not, changes nothing (section 6).
        // Found by FuzzXML against libxml2's tree, which reads such a file.
        if e.domain == Int32(XML_FROM_NAMESPACE.rawValue) { return }
        let full = e.message.map { String(cString: $0) } ?? "malformed XML"
        let message = String(full.split(separator: "\n").first ?? "malformed XML").trimmingSpacesAndNewlines
        let code = Int(e.code)
        // Errors raised outside the parser context carry no line.
        let line = e.line > 0 ? Int(e.line) : max(1, currentLine)
        let encodingCodes = [Int(XML_ERR_INVALID_ENCODING.rawValue), Int(XML_ERR_UNSUPPORTED_ENCODING.rawValue),
                             Int(XML_ERR_UNKNOWN_ENCODING.rawValue), Int(XML_I18N_CONV_FAILED.rawValue),
                             Int(XML_I18N_NO_HANDLER.rawValue)]
        // libxml2 reports bytes that do not decode as XML_ERR_INVALID_CHAR,
        // like a forbidden control character; only its text tells them apart.
        let undecodable = code == Int(XML_ERR_INVALID_CHAR.rawValue) && message.contains("not proper")
        if encodingCodes.contains(code) || undecodable {
            halt(.encoding(line: line, message: message))
        } else {
            halt(.syntax(line: line, column: Int(e.int2), message: message))
        }
    }
}

/// The schema's field names as bytes: back to back, with where each starts
/// (one more entry than fields), since an array of arrays costs a retain
/// and a release of the inner array at every comparison, six times a
/// record. The XML readers find elements by them; the plan finds a CSV
/// header's columns (`DatasetPlan.index(of:)`).
package struct FieldNames {
    /// No value of the standard is longer; both readers cut more (and the
    /// value then fails its check), at the same byte.
    static let maxValueBytes = 4096

    /// The bit of field `index` in a record's `twice` and `markup` masks (a
    /// plan has at most 64 fields).
    @inline(__always)
    static func bit(_ index: Int) -> UInt64 { index < 64 ? UInt64(1) << UInt64(index) : 0 }

    private let bytes: UnsafeMutablePointer<UInt8>
    private let starts: UnsafeMutablePointer<Int>
    let count: Int

    package init(_ fieldNames: [String]) {
        let names = fieldNames.map { Array($0.utf8) }
        count = names.count
        starts = .allocate(capacity: count + 1)
        bytes = .allocate(capacity: max(1, names.reduce(0) { $0 + $1.count }))
        var at = 0
        for (i, name) in names.enumerated() {
            starts[i] = at
            for b in name {
                (bytes + at).initialize(to: b)
                at += 1
            }
        }
        starts[count] = at
    }

    package func deallocate() {
        bytes.deallocate()
        starts.deallocate()
    }

    /// The field named `name`: the one after `last` first (fields usually
    /// come in schema order), then every field; `last` becomes the match.
    @inline(__always)
    package func index(of name: UnsafeRawBufferPointer, after last: inout Int) -> Int? {
        let next = last + 1
        if next < count && equals(next, name) {
            last = next
            return next
        }
        for i in 0..<count where equals(i, name) {
            last = i
            return i
        }
        return nil
    }

    /// Lengths first, then bytes.
    @inline(__always)
    private func equals(_ field: Int, _ name: UnsafeRawBufferPointer) -> Bool {
        let start = starts[field]
        let n = starts[field + 1] - start
        guard n == name.count else { return false }
        // Names are a few bytes: a loop beats a call to memcmp.
        let field = bytes + start
        for i in 0..<n where name[i] != field[i] { return false }
        return true
    }
}

extension String {
    package var trimmingSpacesAndNewlines: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
