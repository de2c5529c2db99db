import Testing
@testable import EdupipeInput
@testable import EdupipeSupport

/// The fast readers against their slow twins (`ReferenceCSV`, written from
/// RFC 4180 and section 6; `ReferenceXML`, libxml2's tree API) on files made
/// by `PlausibleFiles` from a fixed seed: every record, every value.
@Suite struct ReaderDifferentialTests {
    static let fields = ["county_code", "school_id", "stage", "grade", "class_id", "students"]

    /// CSVReader's records and failure, read `chunk` bytes at a time.
    static func fastCSV(_ bytes: [UInt8], chunk: Int) -> (records: [ReferenceCSV.Record], failure: ReferenceCSV.Failure?, other: Bool) {
        let reader = CSVReader(source: MemorySource(bytes, maxChunk: chunk), maxRecordBytes: 1 << 20, initialCapacity: 64)
        var records: [ReferenceCSV.Record] = []
        do {
            while try reader.next() {
                let fields = (0..<reader.fieldCount).map { Array(reader.field($0)) }
                // The values the rules read: trimmed in place, or left
                // alone when the scan saw no white space.
                let values = reader.trimmedValues()
                for (i, f) in fields.enumerated() where String(validating: f, as: UTF8.self) != nil {
                    #expect(Array(values[i]) == ReferenceCSV.trimmed(f), "\(f)")
                }
                records.append(ReferenceCSV.Record(line: reader.recordLine, fields: fields))
            }
            return (records, nil, false)
        } catch {
            switch error {
            case .unterminatedQuote: return (records, .unterminatedQuote, false)
            case .textAfterQuote: return (records, .textAfterQuote, false)
            case .bareCarriageReturn: return (records, .bareCarriageReturn, false)
            default: return (records, nil, true)
            }
        }
    }

    @Test func csvReaderAgreesWithTheReferenceOnPlausibleFiles() {
        var rng = PlausibleFiles.Random(seed: 20_261_206)
        var failures = 0
        for n in 0..<3000 {
            let text = PlausibleFiles.csv(&rng, fields: Self.fields)
            let reference = ReferenceCSV.read(text)
            let chunk = [1, 2, 3, 7, 64, 4096][n % 6]
            let fast = Self.fastCSV(text, chunk: chunk)
            if reference.failure != nil { failures += 1 }
            #expect(!fast.other, "file \(n)")
            #expect(fast.failure == reference.failure, "file \(n): \(String(decoding: text, as: UTF8.self))")
            #expect(fast.records == reference.records, "file \(n), \(chunk) bytes a read: \(String(decoding: text, as: UTF8.self))")
            // Trimming, value by value.
            for r in fast.records {
                for f in r.fields {
                    let trimmed = f.withUnsafeBytes { Array(Bytes.trim($0)) }
                    #expect(trimmed == ReferenceCSV.trimmed(f), "file \(n): \(f)")
                }
            }
        }
        // The generator makes broken files too, but mostly good ones.
        #expect(failures > 30 && failures < 1500, "\(failures) broken files of 3000")
    }

    /// The word-at-a-time scan of plain records: each delimiter (and the
    /// bytes it must not take for one: space, tab, `!`, `-`, a Chinese
    /// character) at every offset within an 8-byte word, and a CRLF split
    /// across two words, against the reference, whole and a few bytes a read.
    @Test func plainScanAgreesAtEveryWordOffset() {
        let pieces: [[UInt8]] = [Array("\r\n".utf8), Array("\n".utf8), Array("\r".utf8), Array("\"".utf8),
                                 Array(" ".utf8), Array("\t".utf8), Array("!".utf8), Array("-".utf8),
                                 Array(",".utf8), Array("校".utf8), Array("\r,".utf8), Array(",\r\n".utf8)]
        var compared = 0
        for piece in pieces {
            for lead in 0..<17 {
                let record = Array(repeating: UInt8(ascii: "7"), count: lead) + piece + Array("a,b,12345678901\n".utf8)
                let text = Array("h1,h2\n".utf8) + record + Array("x,y,z\n".utf8)
                let reference = ReferenceCSV.read(text)
                for chunk in [1, 3, 4096] {
                    let fast = Self.fastCSV(text, chunk: chunk)
                    #expect(!fast.other)
                    #expect(fast.failure == reference.failure, "\(String(decoding: text, as: UTF8.self)) \(chunk)")
                    #expect(fast.records == reference.records, "\(String(decoding: text, as: UTF8.self)) \(chunk)")
                    compared += 1
                }
            }
        }
        #expect(compared == 12 * 17 * 3)
        // One of each kind was seen: the bare CR and the open quote fail.
        #expect(ReferenceCSV.read(Array("a\rb\n".utf8)).failure == .bareCarriageReturn)
        #expect(Self.fastCSV(Array("a\rb,c\n".utf8), chunk: 4096).failure == .bareCarriageReturn)
    }

    /// What XMLSubmissionReader gives, record by record.
    final class Capture: XMLSubmissionDelegate {
        var root = ""
        var rootAttributes: [String: String] = [:]
        var records: [(values: [[UInt8]?], twice: UInt64, markup: UInt64)] = []
        let count: Int
        init(count: Int) { self.count = count }
        func xmlRoot(name: String, attributes: [(name: String, value: String)], line: Int) {
            root = name
            for a in attributes { rootAttributes[a.name] = a.value }
        }
        func xmlRecord(_ values: FieldValues, line: Int, twice: UInt64, markup: UInt64) {
            records.append(((0..<count).map { values[$0].count == 0 ? nil : Array(values[$0]) }, twice, markup))
        }
        func xmlUnknown(_ what: String, line: Int) {}
    }

    @Test func xmlReaderAgreesWithLibxml2sTreeOnPlausibleFiles() throws {
        var rng = PlausibleFiles.Random(seed: 1_952)
        var compared = 0
        for n in 0..<1500 {
            let text = PlausibleFiles.xml(&rng, fields: Self.fields)
            let capture = Capture(count: Self.fields.count)
            let reader = XMLSubmissionReader(fieldNames: Self.fields, delegate: capture)
            try reader.read(MemorySource(text, maxChunk: [1, 5, 64, 4096][n % 4]))
            let reference = ReferenceXML.read(text, fields: Set(Self.fields))
            #expect((reader.stop == nil) == (reference != nil), "file \(n): \(String(decoding: text, as: UTF8.self))")
            guard reader.stop == nil, let reference else { continue }
            compared += 1
            #expect(capture.root == reference.root)
            #expect(capture.rootAttributes.mapValues { Array($0.utf8) } == reference.rootAttributes.mapValues { Array($0.utf8) }, "file \(n)")
            #expect(capture.records.count == reference.records.count, "file \(n)")
            for (fast, slow) in zip(capture.records, reference.records) {
                for (i, name) in Self.fields.enumerated() {
                    let bit = UInt64(1) << UInt64(i)
                    switch slow.fields[name] {
                    case .some(.none):
                        #expect(fast.twice & bit != 0, "file \(n): \(name) given twice")
                    case .some(.some(let value)):
                        #expect(fast.twice & bit == 0)
                        #expect((fast.markup & bit != 0) == slow.markup.contains(name), "file \(n): \(name)")
                        // A field holding markup is E_TYPE whatever its text.
                        if slow.markup.contains(name) { continue }
                        let trimmed = ReferenceCSV.trimmed(value)
                        #expect((fast.values[i] ?? []) == trimmed, "file \(n): \(name) \(String(decoding: value, as: UTF8.self))")
                    case .none:
                        #expect(fast.values[i] == nil, "file \(n): \(name) absent")
                    }
                }
            }
        }
        #expect(compared > 1000, "\(compared) well-formed documents compared")
    }
}
