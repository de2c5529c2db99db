#if canImport(Glibc)
import Glibc
#endif
import CLibXML2

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
        public var root = ""
        public var rootAttributes: [String: String] = [:]
        public var records: [Record] = []
    }

    /// The document, or nil when libxml2 finds it not well formed (or it
    /// has a DOCTYPE).
    public static func read(_ utf8: [UInt8], fields: Set<String>) -> Parsed? {
        let options = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                            | XML_PARSE_NOBLANKS.rawValue)
        edupipe_xml_silence_generic_errors()
        xmlSetStructuredErrorFunc(nil) { _, _ in }
        guard let doc = utf8.withUnsafeBufferPointer({ b -> xmlDocPtr? in
            b.baseAddress.flatMap { $0.withMemoryRebound(to: CChar.self, capacity: b.count) { xmlReadMemory($0, Int32(b.count), nil, "UTF-8", options) } }
        }) else { return nil }
        defer { xmlFreeDoc(doc) }
        guard doc.pointee.intSubset == nil, let root = xmlDocGetRootElement(doc) else { return nil }
        var out = Parsed()
        out.root = name(root)
        var attr = root.pointee.properties
        while let a = attr {
            out.rootAttributes[local(String(cString: a.pointee.name))] = String(decoding: content(UnsafeMutableRawPointer(a).assumingMemoryBound(to: xmlNode.self)), as: UTF8.self)
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
                let n = local(String(cString: p.pointee.name))
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

    /// The local part of a name: libxml2's tree keeps `q:students` whole
    /// when the prefix `q` was never declared.
    private static func name(_ node: xmlNodePtr) -> String {
        local(node.pointee.name.map { String(cString: $0) } ?? "")
    }

    private static func local(_ name: String) -> String {
        name.lastIndex(of: ":").map { String(name[name.index(after: $0)...]) } ?? name
    }

    private static func content(_ node: xmlNodePtr) -> [UInt8] {
        guard let c = xmlNodeGetContent(node) else { return [] }
        defer { edupipe_xml_free(c) }
        return Array(UnsafeBufferPointer(start: c, count: strlen(UnsafeRawPointer(c).assumingMemoryBound(to: CChar.self))))
    }
}
