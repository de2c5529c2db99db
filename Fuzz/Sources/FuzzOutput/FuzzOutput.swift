#if canImport(Glibc)
import Glibc
#endif
@testable import EdupipeSupport
@testable import EdupipeInput
@testable import EdupipeStandard
@testable import EdupipeAggregate
@testable import EdupipeOutput
import FuzzDriver

/// The writers' pointer code (`TextBuffer`, `SystemIO`, `StudentKeys`)
/// under the sanitizers, with what they promise checked:
/// - any texts written as one CSV line by `TextBuffer.csvField` read back
///   through `ReferenceCSV` as exactly those fields, once `FormulaGuard`
///   has restored them (quoting, doubled quotes, line breaks, the formula
///   guard's apostrophe);
/// - the same line written to a file atomically (`AtomicFile`, which
///   writes through `SystemIO`) reads back byte for byte;
/// - a JSON string and an XML text escape every byte that must be;
/// - a student key of any 18-digit number is the same twice and differs
///   for the next number;
/// - the line deflated by zlib (`GzipCompressor`, the generator's) and
///   inflated by igzip (`GzipSource`, the readers') is the line again;
/// - the workbook's ZIP writer (`WorkbookArchive`, igzip's deflate) makes
///   an archive of it that begins and ends as a ZIP does;
/// - the worker pool gives every index to exactly one worker;
/// - the workbook's shared strings find a text exactly when it is one of
///   theirs, at its own index.
/// NUL bytes split the input into fields.
let folder: String = {
    let dir = "/dev/shm/edupipe-fuzz-output-\(getpid())"
    mkdir(dir, 0o700)
    return dir
}()
let keys = StudentKeys(secret: Array("fuzz-secret-of-32-bytes-or-more!".utf8))
/// The shared strings of the shipped plan and a registry of one county.
let shared: SharedStrings? = {
    var root = #filePath
    for _ in 0..<4 { root = String(root[..<(root.lastIndex(of: "/") ?? root.startIndex)]) }
    let registry = "code,name,level,parent_code\n110000,北京市,province,\n110100,北京市市辖区,prefecture,110000\n110101,东城区,county,110100\n"
    guard let config = try? CompiledPlan.load(path: root + "/pipelines/basic-education-2023.yaml"),
          let r = try? Registry.parse(Array(registry.utf8), source: "fuzz") else { return nil }
    return SharedStrings(registry: r, config: config)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOutput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let fields = bytes.split(separator: 0, omittingEmptySubsequences: false).prefix(64).map { String(decoding: $0, as: UTF8.self) }

    // A fixed first column: a line of only white space would be blank.
    var line = TextBuffer(capacity: 64)
    line.csvField("k")
    for f in fields {
        line.append(UInt8(ascii: ","))
        line.csvField(f)
    }
    line.append(0x0A)
    let written = Array(line.bytes)
    let (records, failure) = ReferenceCSV.read(written)
    precondition(failure == nil, "a line csvField wrote does not read back: \(failure.map { "\($0)" } ?? "")")
    precondition(records.count == 1 && records[0].fields.count == fields.count + 1, "csvField's line reads back as \(records.count) records")
    for (f, back) in zip(fields, records[0].fields.dropFirst()) {
        precondition(FormulaGuard.restored(String(decoding: back, as: UTF8.self)) == f, "a field does not read back as it was")
    }

    let path = folder + "/line.csv"
    if (try? AtomicFile.write(written, to: path)) != nil {
        precondition((try? readWholeFile(path, limit: 1 << 24)) == written, "the file holds other bytes than were written")
    }

    for f in fields {
        var json = TextBuffer(capacity: 16)
        json.jsonString(f)
        let j = Array(json.bytes)
        precondition(j.first == 0x22 && j.last == 0x22 && j.count >= 2)
        // Inside the quotes: no control byte, and a quote only after a backslash.
        var escaped = false
        for b in j.dropFirst().dropLast() {
            precondition(b >= 0x20, "a control byte in a JSON string")
            if escaped { escaped = false; continue }
            if b == UInt8(ascii: "\\") { escaped = true; continue }
            precondition(b != 0x22, "an unescaped quote in a JSON string")
        }
        precondition(!escaped, "a JSON string ends in a lone backslash")

        var xml = TextBuffer(capacity: 16)
        xml.markup(f)
        precondition(!xml.bytes.contains(UInt8(ascii: "<")) && !xml.bytes.contains(UInt8(ascii: ">")), "markup left a bracket")
    }

    let gz = GzipCompressor.compress(written, level: Int32(size % 10))
    var inflated: [UInt8] = []
    do {
        let source = try GzipSource(input: MemorySource(gz, maxChunk: 1 + size % 64), limit: 1 << 24, chunkSize: 64)
        while true {
            let more = try source.read(upTo: 1 << 12)
            if more.isEmpty { break }
            inflated += more
        }
    } catch {
        preconditionFailure("igzip refused zlib's gzip: \(error)")
    }
    precondition(inflated == written, "zlib's gzip inflates to other bytes")

    if let archive = try? WorkbookArchive(path: folder + "/w.xlsx") {
        let text = String(decoding: written, as: UTF8.self)
        try? archive.add("xl/line.csv") { b, _ in b.append(text) }
        try? archive.add("xl/fields.txt") { b, _ in for f in fields { b.markup(f) } }
        if (try? archive.finish()) != nil, let zip = try? readWholeFile(folder + "/w.xlsx", limit: 1 << 26) {
            precondition(zip.starts(with: [0x50, 0x4B, 0x03, 0x04]), "the archive does not begin with a local header")
            precondition(zip.count >= 22 && zip[(zip.count - 22)..<(zip.count - 18)].elementsEqual([0x50, 0x4B, 0x05, 0x06]),
                         "the archive does not end with its directory's end")
        }
    }

    if let shared {
        for f in fields {
            let text = FormulaGuard.neutralised(f)
            if let k = shared.position(of: text) {
                // Bytes, not String's ==, which equates canonical twins
                // (a CJK compatibility ideograph and its unified one).
                precondition(shared.strings[k].utf8.elementsEqual(text.utf8), "a shared string found at another's index")
            } else {
                precondition(!shared.strings.contains { $0.utf8.elementsEqual(text.utf8) }, "a shared string not found")
            }
        }
        for (k, s) in shared.strings.enumerated() { precondition(shared.position(of: s) == k) }
    }

    let count = fields.count
    let seen = ResultSlots<Int>(count: count)
    WorkerPool.run(count: count, threads: 1 + size % 3) { i, _ in seen[i] = (seen[i] ?? 0) + i + 1 }
    for i in 0..<count { precondition(seen[i] == i + 1, "the pool gave index \(i) to no worker or to two") }

    if size >= 8 {
        let word = UnsafeRawPointer(data).loadUnaligned(as: UInt64.self)
        let id = 100_000_000_000_000_000 + word % 800_000_000_000_000_000
        let key = keys.key(forNumericID: id)
        precondition(key == keys.key(forNumericID: id) && key != keys.key(forNumericID: id + 1), "student keys are not a function of the ID")
    }
    return 0
}

/// The program's entry (SwiftPM points main here): libFuzzer with this harness.
@_cdecl("FuzzOutput_main")
public func fuzzOutputMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    edupipe_fuzz_main(argc, argv) { data, size in data.map { fuzzOutput($0, size) } ?? 0 }
}
