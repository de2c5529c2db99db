import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// What the XML reader reports while it reads a submission document.
protocol XMLSubmissionDelegate: AnyObject {
    /// The root element, with its attributes (decoded), and its line.
    func xmlRoot(name: String, attributes: [String: String], line: Int)
    /// One complete `<record>`: values indexed by the schema's fields.
    func xmlRecord(_ values: FieldValues, line: Int)
    /// A field given twice in one record (as attribute and element, or twice).
    func xmlFieldTwice(_ field: String, line: Int)
    /// An element or attribute the standard does not know.
    func xmlUnknown(_ what: String, line: Int)
}

/// Why the XML reader stopped early.
enum XMLStop: Equatable {
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
/// the network.
final class XMLSubmissionReader {
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
    }

    private let arena: UnsafeMutablePointer<UInt8>
    /// Per field: where its value starts in the arena, and its length (-1:
    /// not given in this record).
    private let fieldStart: UnsafeMutablePointer<Int>
    private let fieldLength: UnsafeMutablePointer<Int>

    private let fieldNames: [[UInt8]]
    private unowned let delegate: XMLSubmissionDelegate
    private let state: UnsafeMutablePointer<State>
    private let values: FieldValues
    /// No value of the standard is longer; more is cut (and then fails its check).
    private static let maxValueBytes = 4096

    var stop: XMLStop? { state.pointee.stop }

    init(fieldNames: [String], delegate: XMLSubmissionDelegate) {
        self.fieldNames = fieldNames.map { Array($0.utf8) }
        self.delegate = delegate
        let n = fieldNames.count
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        arena = .allocate(capacity: n * Self.maxValueBytes)
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
    }

    /// Reads the whole document from `source`; afterwards `stop` says why it
    /// ended early, if it did.
    func read(_ source: ByteSource, chunkSize: Int = 1 << 16) throws(InputError) {
        XMLSubmissionReader.initializeLibrary
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = { ctx, localname, _, _, _, _, nbAttributes, _, attributes in
            XMLSubmissionReader.from(ctx).startElement(localname, nbAttributes, attributes)
        }
        handler.endElementNs = { ctx, _, _, _ in XMLSubmissionReader.from(ctx).endElement() }
        handler.characters = { ctx, ch, len in XMLSubmissionReader.from(ctx).text(ch, len) }
        handler.cdataBlock = { ctx, ch, len in XMLSubmissionReader.from(ctx).text(ch, len) }
        handler.internalSubset = { ctx, _, _, _ in XMLSubmissionReader.from(ctx).doctype() }
        handler.serror = { ctx, error in XMLSubmissionReader.from(ctx).libraryError(error) }

        let me = Unmanaged.passUnretained(self).toOpaque()
        guard let ctxt = xmlCreatePushParserCtxt(&handler, me, nil, 0, nil) else {
            throw .io("libxml2 could not create a parser")
        }
        state.pointee.parser = ctxt
        let options = XML_PARSE_NONET.rawValue | XML_PARSE_NOBLANKS.rawValue | XML_PARSE_NOWARNING.rawValue
        xmlCtxtUseOptions(ctxt, Int32(bitPattern: options))

        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        while state.pointee.stop == nil {
            let n = try source.read(into: chunk)
            let base = chunk.baseAddress!.assumingMemoryBound(to: CChar.self)
            _ = xmlParseChunk(ctxt, base, Int32(n), n == 0 ? 1 : 0)
            if n == 0 { break }
        }
    }

    private static let initializeLibrary: Void = {
        xmlInitParser()
    }()

    private static func from(_ ctx: UnsafeMutableRawPointer?) -> XMLSubmissionReader {
        Unmanaged<XMLSubmissionReader>.fromOpaque(ctx!).takeUnretainedValue()
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

    /// The schema field named `name`: the one after the last match first,
    /// then every field, comparing lengths before bytes.
    private func fieldIndex(_ name: UnsafePointer<xmlChar>) -> Int? {
        let next = state.pointee.lastField + 1
        if next < fieldNames.count && Self.equals(fieldNames[next], name) {
            state.pointee.lastField = next
            return next
        }
        for i in fieldNames.indices where Self.equals(fieldNames[i], name) {
            state.pointee.lastField = i
            return i
        }
        return nil
    }

    @inline(__always)
    private static func equals(_ field: [UInt8], _ name: UnsafePointer<xmlChar>) -> Bool {
        field.withUnsafeBufferPointer { f in
            for i in 0..<f.count where name[i] != f[i] { return false }
            return name[f.count] == 0
        }
    }

    private func startElement(_ localname: UnsafePointer<xmlChar>?, _ nbAttributes: Int32,
                              _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard state.pointee.stop == nil, let localname else { return }
        state.pointee.depth += 1
        switch state.pointee.depth {
        case 1:
            var attrs: [String: String] = [:]
            for i in 0..<Int(nbAttributes) {
                let a = attributes! + i * 5
                let name = String(cString: a[0]!)
                let value = String(decoding: UnsafeBufferPointer(start: a[3]!, count: a[4]! - a[3]!), as: UTF8.self)
                attrs[name] = value
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
            fieldLength.update(repeating: -1, count: fieldNames.count)
            for i in 0..<Int(nbAttributes) {
                let a = attributes! + i * 5
                guard let index = fieldIndex(a[0]!) else {
                    delegate.xmlUnknown("attribute \(String(cString: a[0]!))", line: line)
                    continue
                }
                fieldStart[index] = state.pointee.arenaCount
                fieldLength[index] = 0
                append(UnsafeBufferPointer(start: a[3]!, count: a[4]! - a[3]!), to: index)
            }
        case 3 where state.pointee.openField == -1 && state.pointee.recordLine > 0:
            guard let index = fieldIndex(localname) else {
                delegate.xmlUnknown("element <\(String(cString: localname))>", line: state.pointee.recordLine)
                return
            }
            if fieldLength[index] >= 0 {
                delegate.xmlFieldTwice(String(cString: localname), line: state.pointee.recordLine)
                // Keep the first value; the record is rejected anyway.
                state.pointee.openField = -2
                return
            }
            fieldStart[index] = state.pointee.arenaCount
            fieldLength[index] = 0
            state.pointee.openField = index
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
            for i in fieldNames.indices {
                values[i] = fieldLength[i] >= 0
                    ? UnsafeRawBufferPointer(start: arena + fieldStart[i], count: fieldLength[i])
                    : UnsafeRawBufferPointer(start: nil, count: 0)
            }
            delegate.xmlRecord(values, line: line)
            state.pointee.recordLine = 0
        }
        state.pointee.depth -= 1
    }

    private func text(_ ch: UnsafePointer<xmlChar>?, _ len: Int32) {
        guard state.pointee.depth == 3, state.pointee.openField >= 0, state.pointee.stop == nil, let ch else { return }
        append(UnsafeBufferPointer(start: ch, count: Int(len)), to: state.pointee.openField)
    }

    /// Appends text to the open field. A field's text arrives in one or
    /// more runs, with no other field's text between them, so its bytes stay
    /// contiguous at the end of the arena.
    private func append(_ bytes: UnsafeBufferPointer<UInt8>, to field: Int) {
        let n = min(bytes.count, Self.maxValueBytes - fieldLength[field])
        guard n > 0 else { return }
        (arena + state.pointee.arenaCount).update(from: bytes.baseAddress!, count: n)
        state.pointee.arenaCount += n
        fieldLength[field] += n
    }

    private func doctype() {
        halt(.dtd(line: currentLine))
    }

    private func libraryError(_ error: UnsafePointer<xmlError>?) {
        guard let e = error?.pointee, e.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let full = e.message.map { String(cString: $0) } ?? "malformed XML"
        let message = String(full.split(separator: "\n").first ?? "malformed XML").trimmingSpacesAndNewlines
        let code = Int(e.code)
        let encodingCodes = [Int(XML_ERR_INVALID_ENCODING.rawValue), Int(XML_ERR_UNSUPPORTED_ENCODING.rawValue),
                             Int(XML_ERR_UNKNOWN_ENCODING.rawValue), Int(XML_I18N_CONV_FAILED.rawValue),
                             Int(XML_I18N_NO_HANDLER.rawValue)]
        // libxml2 reports bytes that do not decode as XML_ERR_INVALID_CHAR,
        // like a forbidden control character; only its text tells them apart.
        let undecodable = code == Int(XML_ERR_INVALID_CHAR.rawValue) && message.contains("not proper")
        if encodingCodes.contains(code) || undecodable {
            halt(.encoding(line: Int(e.line), message: message))
        } else {
            halt(.syntax(line: Int(e.line), column: Int(e.int2), message: message))
        }
    }
}

extension String {
    var trimmingSpacesAndNewlines: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
