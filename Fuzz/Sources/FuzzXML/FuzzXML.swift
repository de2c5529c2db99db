@testable import EdupipeSupport
@testable import EdupipeInput
@testable import EdupipeStandard
@testable import EdupipeAggregate
import FuzzDriver

/// The XML readers through the dataset rules, and against their twins.
/// The first byte picks the dataset, the declared encoding (none, UTF-8,
/// GBK, GB2312, GB18030) put in front of the document, and the chunk size;
/// the rest is the document.
/// - `FlatXMLReader` against `XMLSubmissionReader`: whenever the flat
///   reader takes a document, libxml2's reader read it whole too, and the
///   delegate heard the same things from both, in order, lines included.
/// - `XMLSubmissionReader` against libxml2's tree API (`ReferenceXML`), on
///   UTF-8 documents: both find it well formed or not, and agree on every
///   record's every value.
final class Collector: XMLSubmissionDelegate {
    var root = ""
    var rootAttributes: [String: String] = [:]
    var records: [(values: [[UInt8]], twice: UInt64, markup: UInt64)] = []
    /// Everything said, in order, with lines; absent and empty values apart.
    var said: [String] = []
    let fields: Int
    init(fields: Int) { self.fields = fields }
    func xmlRoot(name: String, attributes: [(name: String, value: String)], line: Int) {
        precondition(line >= 0)
        root = name
        for a in attributes where rootAttributes[a.name] == nil { rootAttributes[a.name] = a.value }
        said.append("root \(name) \(attributes.map { [$0.name, $0.value] }) \(line)")
    }
    func xmlRecord(_ values: FieldValues, line: Int, twice: UInt64, markup: UInt64) {
        records.append(((0..<fields).map { Array(values[$0]) }, twice, markup))
        said.append("record \(line) \(twice) \(markup) \((0..<fields).map { values[$0].baseAddress == nil ? nil : Array(values[$0]) })")
    }
    func xmlUnknown(_ what: String, line: Int) { said.append("unknown \(what) \(line)") }
}

/// The shipped plan, found from this file's place in the repository.
let shippedPlan: CompiledPlan? = {
    var root = #filePath
    for _ in 0..<4 { root = String(root[..<(root.lastIndex(of: "/") ?? root.startIndex)]) }
    return try? CompiledPlan.load(path: root + "/pipelines/basic-education-2022.yaml")
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0, let plan = shippedPlan else { return 0 }
    let control = data[0]
    let declarations = ["", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\" encoding=\"GBK\"?>",
                        "<?xml version=\"1.0\" encoding=\"GB2312\"?>", "<?xml version=\"1.0\" encoding=\"GB18030\"?>",
                        "", "", ""]
    let declaration = declarations[Int(control & 7)]
    let datasets = plan.datasetPlans
    let dataset = datasets[Int(control >> 3) % datasets.count]
    let chunk = [7, 64, 4096, 1 << 16][Int(control >> 6)]
    let bytes = Array(declaration.utf8) + Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let names = dataset.fields.map(\.name)
    let collector = Collector(fields: names.count)
    let reader = XMLSubmissionReader(fieldNames: names, delegate: collector)
    var threw = false
    do {
        try reader.read(ContentSource.open(MemorySource(bytes, maxChunk: chunk), limit: 1 << 20), chunkSize: chunk)
    } catch {
        threw = true
    }
    if let content = try? ContentSource.open(MemorySource(bytes, maxChunk: chunk), limit: 1 << 20) {
        let flat = Collector(fields: names.count)
        if FlatXMLReader(fieldNames: names, delegate: flat).read(content) == .read {
            if threw || reader.stop != nil { fatalError("the flat reader took a document libxml2's reader does not read") }
            if flat.said != collector.said { fatalError("the flat reader and libxml2's reader differ:\n\(flat.said)\n\(collector.said)") }
        }
    }
    if threw { return 0 }
    compare(bytes, names: names, fast: collector, stopped: reader.stop != nil)
    return 0
}

/// The differential: only plain UTF-8 documents (no gzip, no other
/// declared encoding, no byte-order mark), whose values fit the reader's
/// per-field bound.
func compare(_ bytes: [UInt8], names: [String], fast: Collector, stopped: Bool) {
    guard bytes.count > 2, !(bytes[0] == 0x1F && bytes[1] == 0x8B), !(bytes[0] == 0xEF),
          XMLDeclaredEncoding.declaredName(bytes).map({ TextSource.Encoding.declared($0) == .utf8 }) ?? true,
          !bytes.contains(0) else { return }
    let reference = ReferenceXML.read(bytes, fields: Set(names))
    guard let reference else {
        if !stopped { fatalError("libxml2's tree finds the document not well formed; the reader took it") }
        return
    }
    if stopped { fatalError("the reader stopped on a document libxml2's tree reads") }
    // Names that are not qualified names split differently in libxml2's
    // SAX and tree interfaces: the documents agree on being well formed,
    // their names are not compared.
    if reference.malformedNames { return }
    precondition(fast.root == reference.root, "root")
    precondition(fast.records.count == reference.records.count, "record count")
    for (f, r) in zip(fast.records, reference.records) {
        for (i, name) in names.enumerated() where i < 64 {
            let bit = UInt64(1) << UInt64(i)
            switch r.fields[name] {
            case .some(.none): precondition(f.twice & bit != 0, "\(name) twice")
            case .some(.some(let value)):
                precondition(f.twice & bit == 0, "\(name) not twice")
                precondition((f.markup & bit != 0) == r.markup.contains(name), "\(name) markup")
                if r.markup.contains(name) || value.count > 4096 { continue }
                precondition(f.values[i] == ReferenceCSV.trimmed(value), "\(name) value")
            case .none: precondition(f.values[i].isEmpty, "\(name) absent")
            }
        }
    }
}

/// The program's entry (SwiftPM points main here): libFuzzer with this harness.
@_cdecl("FuzzXML_main")
public func fuzzXMLMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    edupipe_fuzz_main(argc, argv) { data, size in data.map { fuzzXML($0, size) } ?? 0 }
}
