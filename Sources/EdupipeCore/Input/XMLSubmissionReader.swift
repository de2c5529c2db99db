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
    private let fieldNames: [[UInt8]]
    private unowned let delegate: XMLSubmissionDelegate
    private var parser: xmlParserCtxtPtr?
    private(set) var stop: XMLStop?

    private var depth = 0
    private var recordLine = 0
    /// The schema field whose element is open at depth 2, or -1.
    private var openField = -1
    /// Element nesting inside a field element (ignored, with a warning).
    private var arena: [UInt8] = []
    private var fieldStart: [Int]
    private var fieldLength: [Int]
    private var fieldSeen: [Bool]
    private let values: FieldValues
    /// No value of the standard is longer; more is cut (and then fails its check).
    private static let maxValueBytes = 4096

    init(fieldNames: [String], delegate: XMLSubmissionDelegate) {
        self.fieldNames = fieldNames.map { Array($0.utf8) }
        self.delegate = delegate
        fieldStart = Array(repeating: 0, count: fieldNames.count)
        fieldLength = Array(repeating: 0, count: fieldNames.count)
        fieldSeen = Array(repeating: false, count: fieldNames.count)
        values = FieldValues(count: fieldNames.count)
        arena.reserveCapacity(4096)
    }

    deinit {
        if let parser { xmlFreeParserCtxt(parser) }
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
        parser = ctxt
        let options = XML_PARSE_NONET.rawValue | XML_PARSE_NOBLANKS.rawValue | XML_PARSE_NOWARNING.rawValue
        xmlCtxtUseOptions(ctxt, Int32(bitPattern: options))

        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        while stop == nil {
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
        if stop == nil { stop = reason }
        if let parser { xmlStopParser(parser) }
    }

    private var currentLine: Int { parser.map { Int(xmlSAX2GetLineNumber($0)) } ?? 0 }

    /// The line where the start tag just parsed begins: libxml2 is past its
    /// attributes, which may span lines, so count back to its `<`.
    private func startTagLine() -> Int {
        guard let input = parser?.pointee.input, var p = input.pointee.cur, let base = input.pointee.base else {
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

    private func fieldIndex(_ name: UnsafePointer<xmlChar>) -> Int? {
        let length = strlen(name)
        let bytes = UnsafeBufferPointer(start: name, count: length)
        return fieldNames.firstIndex { $0.elementsEqual(bytes) }
    }

    private func startElement(_ localname: UnsafePointer<xmlChar>?, _ nbAttributes: Int32,
                              _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard stop == nil, let localname else { return }
        depth += 1
        switch depth {
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
            recordLine = startTagLine()
            arena.removeAll(keepingCapacity: true)
            for i in fieldSeen.indices { fieldSeen[i] = false; fieldLength[i] = 0 }
            for i in 0..<Int(nbAttributes) {
                let a = attributes! + i * 5
                guard let index = fieldIndex(a[0]!) else {
                    delegate.xmlUnknown("attribute \(String(cString: a[0]!))", line: recordLine)
                    continue
                }
                fieldSeen[index] = true
                fieldStart[index] = arena.count
                append(UnsafeBufferPointer(start: a[3]!, count: a[4]! - a[3]!), to: index)
            }
        case 3 where openField == -1 && inRecord:
            guard let index = fieldIndex(localname) else {
                delegate.xmlUnknown("element <\(String(cString: localname))>", line: recordLine)
                return
            }
            if fieldSeen[index] {
                delegate.xmlFieldTwice(String(cString: localname), line: recordLine)
                // Keep the first value; the record is rejected anyway.
                openField = -2
                return
            }
            fieldSeen[index] = true
            fieldStart[index] = arena.count
            openField = index
        default:
            if inRecord {
                delegate.xmlUnknown("element <\(String(cString: localname))> inside a field", line: recordLine)
            }
        }
    }

    private var inRecord: Bool { depth >= 2 && recordLine > 0 }

    private func endElement() {
        guard stop == nil else { return }
        if depth == 3 { openField = -1 }
        if depth == 2 && recordLine > 0 {
            arena.withUnsafeBytes { bytes in
                for i in fieldSeen.indices {
                    values[i] = fieldSeen[i]
                        ? UnsafeRawBufferPointer(rebasing: bytes[fieldStart[i]..<(fieldStart[i] + fieldLength[i])])
                        : UnsafeRawBufferPointer(start: nil, count: 0)
                }
                delegate.xmlRecord(values, line: recordLine)
            }
            recordLine = 0
        }
        depth -= 1
    }

    private func text(_ ch: UnsafePointer<xmlChar>?, _ len: Int32) {
        guard stop == nil, depth == 3, openField >= 0, let ch else { return }
        append(UnsafeBufferPointer(start: ch, count: Int(len)), to: openField)
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>, to field: Int) {
        let room = Self.maxValueBytes - fieldLength[field]
        guard room > 0 else { return }
        let part = bytes.prefix(room)
        arena.append(contentsOf: part)
        fieldLength[field] += part.count
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
