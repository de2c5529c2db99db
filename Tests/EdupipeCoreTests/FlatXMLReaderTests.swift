import Testing
@testable import EdupipeInput
@testable import EdupipeStandard
@testable import EdupipeSupport

/// `FlatXMLReader` against `XMLSubmissionReader` (libxml2): on every
/// document it takes, the delegate hears the same things in the same order,
/// lines included; everything outside the flat form it declines.
@Suite struct FlatXMLReaderTests {
    static let fields = ["county_code", "school_id", "stage", "grade", "class_id", "students"]

    /// Everything a delegate is told, as text, in order.
    final class Events: XMLSubmissionDelegate {
        var said: [String] = []
        let count: Int
        init(count: Int) { self.count = count }
        func xmlRoot(name: String, attributes: [(name: String, value: String)], line: Int) {
            said.append("root \(name) \(attributes.map { "\($0.name)=\($0.value)" }) line \(line)")
        }
        func xmlRecord(_ values: FieldValues, line: Int, twice: UInt64, markup: UInt64) {
            let shown = (0..<count).map { values[$0].baseAddress == nil ? "-" : "[\(String(decoding: values[$0], as: UTF8.self))]" }
            said.append("record line \(line) twice \(twice) markup \(markup) \(shown)")
        }
        func xmlUnknown(_ what: String, line: Int) { said.append("unknown \(what) line \(line)") }
    }

    /// What libxml2's reader says of `bytes` (nil when it stops or throws),
    /// and what the flat reader says (nil when it declines).
    static func both(_ bytes: [UInt8], chunk: Int = .max, fields: [String] = fields) -> (libxml2: [String]?, flat: [String]?) {
        let slow = Events(count: fields.count)
        let reader = XMLSubmissionReader(fieldNames: fields, delegate: slow)
        let slowSaid: [String]?
        do {
            try reader.read(MemorySource(bytes, maxChunk: chunk), chunkSize: min(chunk, 1 << 16))
            slowSaid = reader.stop == nil ? slow.said : nil
        } catch {
            slowSaid = nil
        }
        let fast = Events(count: fields.count)
        let outcome = FlatXMLReader(fieldNames: fields, delegate: fast).read(MemorySource(bytes, maxChunk: chunk))
        return (slowSaid, outcome == .read ? fast.said : nil)
    }

    static func doc(_ body: String, declaration: String = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") -> [UInt8] {
        Array((declaration + "<submission dataset=\"class_size\" county=\"110101\" period=\"2022-autumn\">\n" + body + "</submission>\n").utf8)
    }

    @Test func readsBothFormsAsLibxml2DoesAtEveryChunkSize() {
        let body = """
          <record county_code="110101" school_id="1111010001" stage="primary" grade="1" class_id="1-01" students="45"/>
          <record county_code='110101'
                  school_id = "1111010002" class_id="初一(2)班 "   students="4>5"></record>\r
          <record>
            <county_code>110101</county_code>\r
            <school_id/>
            <stage>  primary\t</stage>
            <class_id>a &amp; b &lt;c&gt; &quot;d&apos;</class_id>
            <students>4
        5</students>
            <grade>1</grade><grade>2</grade>
          </record>
          <record stage="junior"><stage>senior</stage></record  >

        """
        let bytes = Self.doc(body)
        let whole = Self.both(bytes)
        #expect(whole.flat != nil, "the flat reader declined")
        #expect(whole.flat == whole.libxml2)
        // The second record starts on line 4, the third on line 6; grade is
        // given twice in it (bit 3), stage in the last (bit 2).
        #expect(whole.flat?[2].hasPrefix("record line 4 twice 0 ") == true)
        #expect(whole.flat?[3] == #"record line 6 twice 8 markup 0 ["[110101]", "[]", "[primary]", "[1]", "[a & b <c> \"d\']", "[4\n5]"]"#)
        #expect(whole.flat?[4] == #"record line 15 twice 4 markup 0 ["-", "-", "[junior]", "-", "-", "-"]"#)
        for chunk in [1, 2, 3, 7, 64] {
            let cut = Self.both(bytes, chunk: chunk)
            #expect(cut.flat == whole.flat, "\(chunk) bytes a read")
        }
    }

    @Test func cutsLongValuesWhereLibxml2sReaderCutsThem() {
        let long = String(repeating: "x", count: 5000)
        let withEntity = String(repeating: "y", count: 4094) + "&amp;&amp;&amp;"
        let bytes = Self.doc("<record class_id=\"\(long)\"><stage>\(long)</stage><students>\(withEntity)</students></record>\n")
        let result = Self.both(bytes)
        #expect(result.flat != nil)
        #expect(result.flat == result.libxml2)
        #expect(result.flat?[1].contains("[" + String(repeating: "y", count: 4094) + "&&]") == true)
    }

    @Test func declinesWhatIsNotTheFlatForm() {
        let declined: [String: [UInt8]] = [
            "comment": Self.doc("<!-- note -->\n"),
            "comment in a value": Self.doc("<record><stage>pri<!-- x -->mary</stage></record>\n"),
            "CDATA": Self.doc("<record><stage><![CDATA[primary]]></stage></record>\n"),
            "character reference": Self.doc("<record><stage>&#112;rimary</stage></record>\n"),
            "reference in an attribute": Self.doc("<record stage=\"a&amp;b\"/>\n"),
            "tab in an attribute": Self.doc("<record stage=\"a\tb\"/>\n"),
            "line end in an attribute": Self.doc("<record stage=\"a\nb\"/>\n"),
            "lone carriage return": Self.doc("<record stage=\"a\"/>\r<record/>\n"),
            "carriage return in text": Self.doc("<record><stage>a\r\nb</stage></record>\n"),
            "prefix": Self.doc("<record p:stage=\"a\" xmlns:p=\"urn:p\"/>\n"),
            "namespace on the root": Array("<submission xmlns=\"urn:x\"><record/></submission>".utf8),
            "unknown attribute": Self.doc("<record note=\"a\"/>\n"),
            "unknown element": Self.doc("<note/>\n"),
            "unknown field element": Self.doc("<record><note>x</note></record>\n"),
            "markup in a field": Self.doc("<record><students>4<b/>5</students></record>\n"),
            "attribute on a field": Self.doc("<record><students unit=\"x\">4</students></record>\n"),
            "text between records": Self.doc("x<record/>\n"),
            "greater-than in text": Self.doc("<record><stage>]]></stage></record>\n"),
            "non-character": Self.doc("<record stage=\"\u{FFFE}\"/>\n"),
            "DOCTYPE": Array("<?xml version=\"1.0\"?><!DOCTYPE submission [<!ENTITY a \"b\">]><submission/>".utf8),
            "processing instruction": Self.doc("<?pi x?>\n"),
            "version 1.1": Self.doc("<record/>\n", declaration: "<?xml version=\"1.1\"?>\n"),
            "space before the declaration": Self.doc("<record/>\n", declaration: " <?xml version=\"1.0\"?>\n"),
            "content after the root": Self.doc("") + Array("<record/>".utf8),
            "unclosed root": Array("<submission><record/>".utf8),
            "end tag of another name": Array("<submission><record></recorx></submission>".utf8),
            "attribute twice": Self.doc("<record stage=\"a\" stage=\"b\"/>\n"),
            "root attribute twice": Array("<submission county=\"1\" period=\"2\" county=\"1\"><record/></submission>".utf8),
            "attributes not apart": Self.doc("<record stage=\"a\"grade=\"1\"/>\n"),
            "empty document": [],
            "not UTF-8": Self.doc("<record stage=\"\u{00E9}\"/>\n").map { $0 == 0xC3 ? 0xFF : $0 },
        ]
        for (why, bytes) in declined.sorted(by: { $0.key < $1.key }) {
            let result = Self.both(bytes)
            #expect(result.flat == nil, "\(why): the flat reader took it")
        }
        // The same documents at one byte a read: never taken either.
        for (why, bytes) in declined.sorted(by: { $0.key < $1.key }) {
            #expect(Self.both(bytes, chunk: 1).flat == nil, "\(why), a byte a read")
        }
    }

    @Test func aRecordLargerThanTheBufferIsDeclinedNotGrownInto() {
        let many = (0..<40).map { _ in "<class_id>\(String(repeating: "z", count: 2000))</class_id>" }.joined()
        let bytes = Self.doc("<record>\(many)</record>\n")
        #expect(Self.both(bytes).flat == nil)
        #expect(Self.both(bytes).libxml2 != nil)
    }

    /// The plausible files of the reader differential (every variation,
    /// a share broken): whatever the flat reader takes, libxml2's reader
    /// reads the same way; and it takes the plain ones.
    @Test func agreesWithLibxml2sReaderOnPlausibleFiles() {
        var rng = PlausibleFiles.Random(seed: 2_211)
        var taken = 0, declinedGood = 0
        for n in 0..<1500 {
            let bytes = PlausibleFiles.xml(&rng, fields: Self.fields)
            let result = Self.both(bytes, chunk: [1, 5, 64, 4096][n % 4])
            if let flat = result.flat {
                taken += 1
                #expect(flat == result.libxml2, "file \(n): \(String(decoding: bytes, as: UTF8.self))")
            } else if result.libxml2 != nil {
                declinedGood += 1
            }
        }
        print("flat XML reader: \(taken) plausible files taken, \(declinedGood) well-formed ones declined")
        #expect(taken > 100, "\(taken) of 1500 taken")
        #expect(declinedGood > 100, "\(declinedGood) well-formed files declined")
    }

    /// Through the validator, a document the flat reader declines only at
    /// its last line is reported exactly as libxml2's reader reports it:
    /// nothing of the first reading is left in the report.
    @Test func aDeclinedDocumentIsReportedAsBefore() {
        let records = (1...3).map { Samples.classElement(grade: String($0), classID: "\($0)-01", students: $0 == 2 ? "abc" : "40") }
        let text = Samples.xml("class_size", records) + "<!-- end -->\n"
        let bytes = Array(text.utf8)
        #expect(Self.both(bytes).flat == nil)
        #expect(Self.both(Array(Samples.xml("class_size", records).utf8)).flat != nil)
        let report = Fixtures.validate("110101_class_size_2022-autumn.xml", bytes)
        let plain = Fixtures.validate("110101_class_size_2022-autumn.xml", Samples.xml("class_size", records))
        #expect(report.triples == plain.triples)
        #expect(report.records == 3)
        #expect(report.triples.map(\.code).contains("E_TYPE"))
    }
}
