@testable import EdupipeSupport
@testable import EdupipeInput
@testable import EdupipeStandard
@testable import EdupipeAggregate
import FuzzDriver

/// gzip → text decoding → CSV reader. The first byte picks the encoding
/// (UTF-8 with the GB18030 fallback, or GB18030 straight), the chunk size
/// the source hands out (1 to 64 bytes, forcing every resume path) and a
/// small record limit; the rest is the file. Every field of every record is
/// touched so that a span past the buffer is seen by AddressSanitizer. The
/// same bytes go through `ReferenceCSV` too (`compareWithReference`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let control = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let chunk = Int(control & 0x3F) + 1
    let encodings: [TextSource.Encoding] = control & 0x40 == 0 ? [.utf8, .gb18030] : [.gb18030]
    let maxRecord = control & 0x80 == 0 ? 256 : 1 << 20
    // The raw bytes against the reference reader (slow twin).
    compareWithReference(bytes, chunk: chunk)
    for encoding in encodings {
        do {
            let content = try ContentSource.open(MemorySource(bytes, maxChunk: chunk), limit: 1 << 20)
            let reader = CSVReader(source: try TextSource(input: content, encoding: encoding),
                                   maxRecordBytes: maxRecord, initialCapacity: 64)
            var sum = 0
            while try reader.next() {
                precondition(reader.recordLine >= 1)
                for i in 0..<reader.fieldCount {
                    let f = reader.field(i)
                    for b in f { sum &+= Int(b) }
                }
            }
            blackHole(sum)
            return 0
        } catch CSVReadError.input(.notUTF8) {
            continue
        } catch {
            return 0
        }
    }
    return 0
}

@inline(never)
func blackHole(_ x: Int) {
    if x == Int.min { print("") }
}

/// The program's entry (SwiftPM points main here): libFuzzer with this harness.
@_cdecl("FuzzCSV_main")
public func fuzzCSVMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    edupipe_fuzz_main(argc, argv) { data, size in data.map { fuzzCSV($0, size) } ?? 0 }
}

/// The differential half: the raw bytes through `CSVReader` and through
/// `ReferenceCSV`, the same records (line and fields) and the same fault.
func compareWithReference(_ bytes: [UInt8], chunk: Int) {
    let reference = ReferenceCSV.read(bytes)
    let reader = CSVReader(source: MemorySource(bytes, maxChunk: chunk), maxRecordBytes: 1 << 20, initialCapacity: 64)
    var records: [ReferenceCSV.Record] = []
    var failure: ReferenceCSV.Failure?
    do {
        while try reader.next() {
            let fields = (0..<reader.fieldCount).map { Array(reader.field($0)) }
            // The values the rules read, trimmed in place (or left alone
            // when the scan saw no white space), against the reference's.
            let values = reader.trimmedValues()
            for (i, f) in fields.enumerated() where String(validating: f, as: UTF8.self) != nil {
                precondition(Array(values[i]) == ReferenceCSV.trimmed(f), "the reader's values are trimmed differently")
            }
            records.append(ReferenceCSV.Record(line: reader.recordLine, fields: fields))
        }
    } catch {
        switch error {
        case .unterminatedQuote: failure = .unterminatedQuote
        case .textAfterQuote: failure = .textAfterQuote
        case .bareCarriageReturn: failure = .bareCarriageReturn
        default: return
        }
    }
    precondition(failure == reference.failure, "the reader and the reference disagree on the fault")
    precondition(records == reference.records, "the reader and the reference disagree on the records")
    for r in records {
        for f in r.fields where String(validating: f, as: UTF8.self) != nil {
            precondition(f.withUnsafeBytes { Array(Bytes.trim($0)) } == ReferenceCSV.trimmed(f), "trimming differs")
        }
    }
}
