@testable import EdupipeSupport
@testable import EdupipeInput
@testable import EdupipeStandard
@testable import EdupipeAggregate
import FuzzDriver

/// Differential: igzip's path (`GzipSource`, with edupipe's own header
/// reader) against zlib (`GzipReference`) on the same bytes. Both must give
/// the same bytes, or both an error. The first byte picks the chunk size
/// the source hands out (1 to 64 bytes, every resume path) and, in its top
/// bit, whether the gzip magic is put in front (so most inputs reach the
/// header's flags); the rest is the stream.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let control = data[0]
    var bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if control & 0x80 != 0 { bytes = [0x1F, 0x8B, 0x08] + bytes }
    let chunk = Int(control & 0x3F) + 1
    let limit = 1 << 22
    let reference = GzipReference.inflate(bytes, limit: limit)
    var fast: [UInt8]? = []
    do {
        let source = try GzipSource(input: MemorySource(bytes, maxChunk: chunk), limit: limit, chunkSize: 64)
        var buffer = [UInt8](repeating: 0, count: 1 << 12)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            fast? += buffer[0..<n]
        }
    } catch {
        fast = nil
    }
    if fast != reference {
        fatalError("igzip and zlib disagree: igzip \(fast.map { "\($0.count) bytes" } ?? "error"), zlib \(reference.map { "\($0.count) bytes" } ?? "error")")
    }
    return 0
}

/// The program's entry (SwiftPM points main here): libFuzzer with this harness.
@_cdecl("FuzzGzip_main")
public func fuzzGzipMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    edupipe_fuzz_main(argc, argv) { data, size in data.map { fuzzGzip($0, size) } ?? 0 }
}
