@testable import EdupipeSupport
@testable import EdupipeInput
@testable import EdupipeStandard
@testable import EdupipeAggregate
import FuzzDriver

/// Plan and registry loading: the first byte says which; the rest is the
/// file. Errors are expected; a crash or a hang is the finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if data[0] & 1 == 0 {
        _ = try? CompiledPlan.parse(String(decoding: bytes, as: UTF8.self), source: "fuzz.yaml")
    } else {
        if let registry = try? Registry.parse(bytes, source: "fuzz.csv") {
            for county in registry.counties { _ = registry.province(of: county) }
        }
    }
    return 0
}

/// The program's entry (SwiftPM points main here): libFuzzer with this harness.
@_cdecl("FuzzConfig_main")
public func fuzzConfigMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    edupipe_fuzz_main(argc, argv) { data, size in data.map { fuzzConfig($0, size) } ?? 0 }
}
