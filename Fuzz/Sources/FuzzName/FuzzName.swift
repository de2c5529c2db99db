@testable import EdupipeSupport
@testable import EdupipeInput
@testable import EdupipeStandard
@testable import EdupipeAggregate
import FuzzDriver
import Foundation

/// Submission names, upload names, raw paths and the resident-ID mask: any bytes as a
/// path, its display form, the name parsed and diagnosed, and the mask's
/// promise checked (no unmasked ID survives, the text keeps its number of
/// characters).
/// The datasets of the 2023 plan (which has the 2022 ones and two more).
let datasets = ["after_school", "dropout", "class_size", "campus_safety", "preschool"].enumerated().map {
    Dataset(rawValue: $1, index: $0)
}

/// Once per process, under the sanitizer: a folder of 3,000 entries with
/// names up to 255 bytes (some not UTF-8) listed by the inbox walk and by
/// `SystemIO.names`. Reading an entry's name by copying its fixed-size
/// `d_name` read past glibc's buffer (the last entry is packed to its
/// name's length) and crashed national runs now and then; AddressSanitizer
/// reports that read here on every replay.
let folderListingChecked: Bool = {
    let root = "/tmp/edupipe-fuzzname-\(getpid())"
    let names = (0..<3_000).map { i -> [UInt8] in
        let stem = Array(String(format: "%05d_", i).utf8)
        let fill = [UInt8](repeating: i % 3 == 0 ? 0xB0 : UInt8(ascii: "x"), count: i % 250)
        return stem + fill
    }
    precondition(mkdir(root, 0o700) == 0)
    for n in names {
        let fd = SystemIO.withCString(Array(root.utf8) + [UInt8(ascii: "/")] + n) { open($0, O_CREAT | O_WRONLY, 0o600) }
        precondition(fd >= 0)
        close(fd)
    }
    let listed = (try? Inbox.entries(root)) ?? []
    precondition(Set(listed.map(\.raw.bytes)) == Set(names), "the inbox walk lost or changed a name")
    precondition(SystemIO.names(in: root)?.count == names.count)
    for n in names { _ = SystemIO.withCString(Array(root.utf8) + [UInt8(ascii: "/")] + n) { unlink($0) } }
    rmdir(root)
    return true
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzName(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    precondition(folderListingChecked)
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let raw = RawPath(bytes: bytes)
    let display = raw.display
    let name = SubmissionValidator.lastComponent(display)
    if let parsed = SubmissionName.parse(name, datasets: datasets) {
        precondition(parsed.revision >= 1 && parsed.county.utf8.count == 6)
    } else {
        _ = SubmissionName.diagnosis(name, datasets: datasets)
    }
    var masked = bytes
    ResidentIDMask.scrub(bytes: &masked)
    // Each masked character becomes one `*`: a full-width digit (three
    // bytes) shortens the bytes, but the text keeps its characters (counted
    // as the bytes that begin one, so stray bytes count alike).
    func characters(_ b: [UInt8]) -> Int { b.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
    precondition(masked.count <= bytes.count && characters(masked) == characters(bytes))
    var again = masked
    precondition(!ResidentIDMask.scrub(bytes: &again), "a masked text still holds an ID")
    // The text form (what receipts and log lines pass) masks as the bytes
    // do, its quick look for 17 digits included.
    if let text = String(validating: bytes, as: UTF8.self) {
        precondition(Array(ResidentIDMask.scrub(text).utf8) == masked, "the text and byte masks differ")
    }
    _ = Inbox.isSkipped(bytes: bytes)
    // An upload's name from a URL: whatever it decodes to is one plain name.
    if let upload = UploadName.decode(Substring(String(decoding: bytes, as: UTF8.self))) {
        let u = Array(upload.utf8)
        precondition(!u.isEmpty && u.count <= UploadName.maxBytes && u[0] != UInt8(ascii: "."))
        precondition(!u.contains { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "%") })
    }
    return 0
}

/// The program's entry (SwiftPM points main here): libFuzzer with this harness.
@_cdecl("FuzzName_main")
public func fuzzNameMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    edupipe_fuzz_main(argc, argv) { data, size in data.map { fuzzName($0, size) } ?? 0 }
}
