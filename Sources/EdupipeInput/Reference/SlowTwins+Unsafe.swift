// The C libraries called whole, in one file: libxml2's tree API and zlib's
// inflate as the slow twins of the fast readers (`ReferenceXML`,
// `GzipReference`), and zlib's deflate (`GzipCompressor`) for the
// generator and the tests.
#if canImport(Glibc)
import Glibc
#endif
import CLibXML2
import SystemZlib

/// The slow twin of `XMLSubmissionReader`: the document parsed whole by
/// libxml2's tree API (no network, no entity substitution, a DOCTYPE
/// refused), then walked as section 1.5 reads it: the root's attributes,
/// and per `<record>` each field as an attribute or a child element (by
/// local name), its text as the tree holds it. Only the differential test
/// and `FuzzXML` use it; the document must already be UTF-8.
public enum ReferenceXML {
    public struct Record: Equatable, Sendable {
        /// Field name → value, untrimmed; a field given twice is marked by
        /// a value of nil.
        public var fields: [String: [UInt8]?] = [:]
        /// Fields whose element holds an element.
        public var markup: Set<String> = []
    }

    public struct Parsed: Equatable, Sendable {
        /// libxml2 found a name that is not a qualified name (`a::b`,
        /// `a:b:c`): how such a name splits is libxml2's guess, read
        /// differently by its SAX and tree interfaces, so the names of this
        /// document are not compared.
        public var malformedNames = false
        public var root = ""
        public var rootAttributes: [String: String] = [:]
        public var records: [Record] = []
    }

    /// The document, or nil when libxml2 finds it not well formed (or it
    /// has a DOCTYPE).
    public static func read(_ utf8: [UInt8], fields: Set<String>) -> Parsed? {
        let options = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOBLANKS.rawValue)
        edupipe_xml_silence_generic_errors()
        // Errors come to this sink (nothing is printed); a malformed
        // qualified name is noted.
        let sink = ErrorSink()
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(sink).toOpaque()) { ctx, error in
            guard let ctx, let e = error?.pointee else { return }
            if e.code == Int32(XML_NS_ERR_QNAME.rawValue) { Unmanaged<ErrorSink>.fromOpaque(ctx).takeUnretainedValue().qname = true }
        }
        defer { xmlSetStructuredErrorFunc(nil) { _, _ in } }
        guard let doc = utf8.withUnsafeBufferPointer({ b -> xmlDocPtr? in
            b.baseAddress.flatMap { $0.withMemoryRebound(to: CChar.self, capacity: b.count) { xmlReadMemory($0, Int32(b.count), nil, "UTF-8", options) } }
        }) else { return nil }
        defer { xmlFreeDoc(doc) }
        guard doc.pointee.intSubset == nil, let root = xmlDocGetRootElement(doc) else { return nil }
        var out = Parsed()
        out.malformedNames = sink.qname
        out.root = name(root)
        var attr = root.pointee.properties
        while let a = attr {
            out.rootAttributes[attributeName(a)] = String(decoding: content(UnsafeMutableRawPointer(a).assumingMemoryBound(to: xmlNode.self)), as: UTF8.self)
            attr = a.pointee.next
        }
        var child = root.pointee.children
        while let c = child {
            defer { child = c.pointee.next }
            guard c.pointee.type == XML_ELEMENT_NODE, name(c) == "record" else { continue }
            var record = Record()
            func give(_ field: String, _ value: [UInt8]) {
                if record.fields[field] != nil { record.fields[field] = .some(nil) } else { record.fields[field] = value }
            }
            var a = c.pointee.properties
            while let p = a {
                let n = attributeName(p)
                if fields.contains(n) { give(n, content(UnsafeMutableRawPointer(p).assumingMemoryBound(to: xmlNode.self))) }
                a = p.pointee.next
            }
            var f = c.pointee.children
            while let e = f {
                defer { f = e.pointee.next }
                guard e.pointee.type == XML_ELEMENT_NODE else { continue }
                let n = name(e)
                guard fields.contains(n) else { continue }
                var inner = e.pointee.children
                while let x = inner {
                    if x.pointee.type == XML_ELEMENT_NODE { record.markup.insert(n) }
                    inner = x.pointee.next
                }
                give(n, content(e))
            }
            out.records.append(record)
        }
        return out
    }

    /// The local part of an element's name, as libxml2's SAX2 gives it to
    /// the reader: with its namespace resolved the tree holds it already;
    /// with a prefix nobody declared the tree holds `prefix:local` whole.
    private static func name(_ node: xmlNodePtr) -> String {
        let raw = node.pointee.name.map { String(cString: $0) } ?? ""
        return node.pointee.ns == nil ? unresolvedLocal(raw) : raw
    }

    private static func attributeName(_ a: xmlAttrPtr) -> String {
        let raw = a.pointee.name.map { String(cString: $0) } ?? ""
        return a.pointee.ns == nil ? unresolvedLocal(raw) : raw
    }

    /// `prefix:rest` → `rest` (the prefix ends at the first colon, as
    /// libxml2 splits a qualified name); a name starting with a colon has no
    /// prefix and stays whole.
    private static func unresolvedLocal(_ name: String) -> String {
        guard let colon = name.firstIndex(of: ":"), colon != name.startIndex else { return name }
        return String(name[name.index(after: colon)...])
    }

    private static func content(_ node: xmlNodePtr) -> [UInt8] {
        guard let c = xmlNodeGetContent(node) else { return [] }
        defer { edupipe_xml_free(c) }
        return Array(UnsafeBufferPointer(start: c, count: strlen(UnsafeRawPointer(c).assumingMemoryBound(to: CChar.self))))
    }

    private final class ErrorSink {
        var qname = false
    }
}

/// The slow twin of `GzipSource`: zlib's `inflate` over a whole gzip stream
/// in memory, member after member, with the standard's reading (section
/// 1.2 and 6): every member whole and checked, nothing after the last one.
/// Only the differential test and the `FuzzGzip` harness use it, to hold
/// igzip's path to zlib's on the same bytes.
public enum GzipReference {
    /// The inflated bytes, or nil when zlib finds the stream corrupt or
    /// truncated (or it holds no member at all). At most `limit` bytes are
    /// produced; past that, nil.
    public static func inflate(_ input: [UInt8], limit: Int = 1 << 26) -> [UInt8]? {
        guard !input.isEmpty else { return nil }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 15)
        var input = input
        let total = input.count
        return input.withUnsafeMutableBufferPointer { inBuf -> [UInt8]? in
            guard let inBase = inBuf.baseAddress else { return nil }
            stream.next_in = inBase
            stream.avail_in = uInt(total)
            while true {
                let (rc, produced): (Int32, Int) = chunk.withUnsafeMutableBufferPointer { c in
                    stream.next_out = c.baseAddress
                    stream.avail_out = uInt(c.count)
                    let rc = SystemZlib.inflate(&stream, Z_NO_FLUSH)
                    return (rc, c.count - Int(stream.avail_out))
                }
                out += chunk[0..<produced]
                if out.count > limit { return nil }
                switch rc {
                case Z_STREAM_END:
                    // Another member may follow; anything else is corrupt.
                    if stream.avail_in == 0 { return out }
                    guard inflateReset(&stream) == Z_OK else { return nil }
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    // No progress possible: the input ended inside a member.
                    if produced == 0 { return nil }
                default:
                    return nil
                }
            }
        }
    }
}

/// Compresses bytes into one gzip member (RFC 1952) with zlib's deflate.
public enum GzipCompressor {
    public static func compress(_ bytes: [UInt8], level: Int32 = Z_DEFAULT_COMPRESSION) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            deflateEnd(stream)
            stream.deallocate()
        }
        // 15 window bits + 16: write a gzip wrapper.
        precondition(deflateInit2_(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        var out = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(bytes.count))) + 32)
        let produced = bytes.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = output.baseAddress
                stream.pointee.avail_out = uInt(output.count)
                precondition(deflate(stream, Z_FINISH) == Z_STREAM_END, "deflateBound is always enough")
                return output.count - Int(stream.pointee.avail_out)
            }
        }
        out.removeLast(out.count - produced)
        return out
    }
}
