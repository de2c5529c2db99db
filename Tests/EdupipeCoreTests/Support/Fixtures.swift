import SystemZlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import EdupipeStandard
@testable import EdupipeAggregate
@testable import EdupipeSynth

/// Shared test material: the package's shipped plan and registry, temporary
/// folders, and a gzip writer so fixtures are made by the tests themselves.
enum Fixtures {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let registry: Registry = try! Registry.load(path: packageRoot + "/samples/registry/divisions.csv")
    static let config: CompiledPlan = try! CompiledPlan.load(path: packageRoot + "/pipelines/basic-education-2022.yaml")

    static func validator(_ adjust: (inout CompiledPlan) -> Void = { _ in }) -> SubmissionValidator {
        var c = config
        adjust(&c)
        return SubmissionValidator(registry: registry, config: c)
    }

    /// Every temporary folder of this test process, removed when it exits:
    /// a run of the tests writes a few gigabytes (bombs, big inboxes), and
    /// left behind they filled the disk of a machine that ran them often.
    static let temporaryRoot: String = {
        let root = NSTemporaryDirectory() + "edupipe-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: Fixtures.temporaryRoot) }
        return root
    }()

    /// A fresh, empty folder under the system's temporary directory.
    static func tempDirectory(_ label: String = "t") -> String {
        let path = temporaryRoot + "/edupipe-\(label)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ bytes: [UInt8], to path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    /// Writes `bytes` as file `name` in a new folder and validates it.
    static func validate(_ name: String, _ bytes: [UInt8],
                         adjust: (inout CompiledPlan) -> Void = { _ in }) -> FileReport {
        let dir = tempDirectory("v")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        write(bytes, to: dir + "/" + name)
        return validator(adjust).validate(path: dir + "/" + name, displayPath: name)
    }

    static func validate(_ name: String, _ text: String,
                         adjust: (inout CompiledPlan) -> Void = { _ in }) -> FileReport {
        validate(name, Array(text.utf8), adjust: adjust)
    }

    /// One gzip member of `bytes`.
    static func gzip(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var input = bytes
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        let produced: Int = input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return outBuf.count - Int(stream.avail_out)
            }
        }
        return Array(out[0..<produced])
    }

    static func gzip(_ text: String) -> [UInt8] { gzip(Array(text.utf8)) }

    /// Text in GB18030, as Excel on a Chinese Windows saves it.
    static func gb18030(_ text: String, charset: String = "GB18030") -> [UInt8] {
        SyntheticInbox.toGB18030(text, charset: charset)
    }
}

/// Small builders for well-formed submissions, so each test only spells out
/// what it breaks.
enum Samples {
    static let classHeader = "county_code,school_id,stage,grade,class_id,students"
    static let afterHeader = "county_code,school_id,school_name,stage,enrolled,offers_service,participants,days_per_week,minutes_per_day,funding_secured"
    static let dropoutHeader = "county_code,student_id,school_id,grade,identified_on,status,resolved_on,reason"

    static func csv(_ header: String, _ rows: [String]) -> String {
        ([header] + rows).joined(separator: "\n") + "\n"
    }

    static func xml(_ dataset: String, county: String = "110101", period: String = "2022-autumn",
                    encoding: String = "UTF-8", _ records: [String]) -> String {
        """
        <?xml version="1.0" encoding="\(encoding)"?>
        <submission dataset="\(dataset)" county="\(county)" period="\(period)">
        \(records.joined(separator: "\n"))
        </submission>

        """
    }

    /// A class record in element form, one field per line (7 lines).
    static func classElement(grade: String = "1", classID: String = "1-01", students: String = "45",
                             stage: String = "primary") -> String {
        """
          <record>
            <county_code>110101</county_code>
            <school_id>1111010001</school_id>
            <stage>\(stage)</stage>
            <grade>\(grade)</grade>
            <class_id>\(classID)</class_id>
            <students>\(students)</students>
          </record>
        """
    }
}

extension FileReport {
    /// (code, line, column) of every listed issue, for compact assertions.
    var triples: [Triple] { log.all.map { Triple($0.code.rawValue, $0.line, $0.column) } }
    var codes: [String] { log.all.map(\.code.rawValue) }
}

struct Triple: Equatable, CustomStringConvertible {
    let code: String
    let line: Int?
    let column: String?
    init(_ code: String, _ line: Int?, _ column: String?) {
        self.code = code
        self.line = line
        self.column = column
    }
    var description: String { "(\(code), \(line.map(String.init) ?? "nil"), \(column ?? "nil"))" }
}
