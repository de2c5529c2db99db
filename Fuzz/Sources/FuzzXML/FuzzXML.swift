@testable import EdupipeCore
import FuzzDriver

/// The XML reader through the dataset rules. The first byte picks the
/// dataset, the declared encoding (none, UTF-8, GBK, GB2312, GB18030) put in
/// front of the document, and the chunk size; the rest is the document.
final class Collector: XMLSubmissionDelegate {
    var records = 0
    let fields: Int
    init(fields: Int) { self.fields = fields }
    func xmlRoot(name: String, attributes: [(name: String, value: String)], line: Int) { precondition(line >= 0) }
    func xmlRecord(_ values: FieldValues, line: Int) {
        records += 1
        for i in 0..<fields { for b in values[i] { records &+= Int(b) & 0 } }
    }
    func xmlFieldTwice(_ field: String, line: Int) {}
    func xmlUnknown(_ what: String, line: Int) {}
}

/// The shipped plan, found from this file's place in the repository.
let shippedPlan: PipelineConfig? = {
    var root = #filePath
    for _ in 0..<4 { root = String(root[..<(root.lastIndex(of: "/") ?? root.startIndex)]) }
    return try? PipelineConfig.load(path: root + "/pipelines/basic-education-2022.yaml")
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
    do {
        try reader.read(ContentSource.open(MemorySource(bytes, maxChunk: chunk), limit: 1 << 20), chunkSize: chunk)
    } catch {
        return 0
    }
    return 0
}

/// The program's entry (SwiftPM points main here): libFuzzer with this harness.
@_cdecl("FuzzXML_main")
public func fuzzXMLMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    edupipe_fuzz_main(argc, argv) { data, size in data.map { fuzzXML($0, size) } ?? 0 }
}
