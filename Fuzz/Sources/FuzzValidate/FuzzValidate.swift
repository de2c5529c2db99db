#if canImport(Glibc)
import Glibc
#endif
@testable import EdupipeSupport
@testable import EdupipeInput
@testable import EdupipeStandard
@testable import EdupipeAggregate
import FuzzDriver

/// Whole-file validation, as `edupipe validate` does it: the first byte
/// picks the dataset, the form (csv or xml) and whether the name says .gz,
/// whether the file is read again through a descriptor (as `edupipe
/// serve` reads an upload) and compared, with the records' digest, and
/// with the file's own hash;
/// the rest is written to a file under /dev/shm and validated with the
/// shipped registry's county 110101 and a small record limit.
/// The shipped plan, found from this file's place in the repository.
let shippedPlan: CompiledPlan? = {
    var root = #filePath
    for _ in 0..<4 { root = String(root[..<(root.lastIndex(of: "/") ?? root.startIndex)]) }
    return try? CompiledPlan.load(path: root + "/pipelines/basic-education-2022.yaml")
}()
let setup: (config: CompiledPlan, registry: Registry)? = {
    let registry = """
        code,name,level,parent_code
        110000,北京市,province,
        110100,北京市市辖区,prefecture,110000
        110101,东城区,county,110100
        """
    guard let r = try? Registry.parse(Array(registry.utf8), source: "fuzz"),
          var config = shippedPlan else { return nil }
    config.maxRecordBytes = 4096
    config.maxDecompressedBytes = 1 << 20
    config.maxListedIssuesPerFile = 50
    return (config, r)
}()
let folder: String = {
    let dir = "/dev/shm/edupipe-fuzz-\(getpid())"
    mkdir(dir, 0o700)
    return dir
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzValidate(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0, let setup else { return 0 }
    let control = data[0]
    let datasets = setup.config.datasets
    let dataset = datasets[Int(control & 7) % datasets.count]
    let ext = ["csv", "xml", "csv.gz", "xml.gz"][Int(control >> 3) & 3]
    let name = "110101_\(dataset.rawValue)_2022-autumn.\(ext)"
    let path = folder + "/" + name
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    var offset = 1
    while offset < size {
        let n = write(fd, data + offset, size - offset)
        if n <= 0 { break }
        offset += n
    }
    close(fd)
    let report = SubmissionValidator(registry: setup.registry, config: setup.config)
        .validate(path: path, displayPath: name, digest: control & 0x80 != 0, identify: control & 0x40 != 0)
    precondition(report.isValid == (report.log.errorCount == 0))
    // Bit 5: read again through a descriptor open for writing too, as
    // `edupipe serve` reads an upload; the same report, the offset kept.
    if control & 0x20 != 0 {
        let rw = open(path, O_RDWR | O_APPEND)
        guard rw >= 0 else { return 0 }
        defer { close(rw) }
        let end = lseek(rw, 0, SEEK_END)
        let again = SubmissionValidator(registry: setup.registry, config: setup.config)
            .validate(descriptor: rw, displayPath: name, digest: control & 0x80 != 0)
        precondition(lseek(rw, 0, SEEK_CUR) == end, "reading moved the descriptor's offset")
        precondition(again.isValid == report.isValid && again.records == report.records && again.encoding == report.encoding
                     && again.contentDigest == report.contentDigest, "a descriptor read differs from the path's")
        precondition(again.log.all.map { "\($0.code.rawValue) \($0.line ?? 0) \($0.column ?? "") \($0.message)" }
                     == report.log.all.map { "\($0.code.rawValue) \($0.line ?? 0) \($0.column ?? "") \($0.message)" },
                     "a descriptor read's issues differ from the path's")
    }
    for issue in report.log.all {
        var text = Array(issue.message.utf8)
        precondition(!ResidentIDMask.scrub(bytes: &text), "an issue message holds a full resident ID")
    }
    return 0
}

/// The program's entry (SwiftPM points main here): libFuzzer with this harness.
@_cdecl("FuzzValidate_main")
public func fuzzValidateMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    edupipe_fuzz_main(argc, argv) { data, size in data.map { fuzzValidate($0, size) } ?? 0 }
}
