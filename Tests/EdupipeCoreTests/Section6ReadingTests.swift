import Testing
@testable import EdupipeStandard

/// The readings of section 6 that a second, independent implementation
/// disputed (issue "Nothing slips through", finding 4): each test fed the
/// file that was read wrongly and asserts the code and place it must get.
@Suite struct Section6ReadingTests {
    let header = Samples.classHeader
    let row = "110101,1111010001,primary,1,1-01,45"

    func classesCSV(_ text: String) -> FileReport { Fixtures.validate("110101_class_size_2022-autumn.csv", text) }
    func classesXML(_ records: [String], encoding: String = "UTF-8") -> FileReport {
        Fixtures.validate("110101_class_size_2022-autumn.xml", Samples.xml("class_size", encoding: encoding, records))
    }

    // MARK: XML attribute values are read as XML 1.0 says

    @Test func ampersandInAnAttributeIsOneCharacter() {
        // class_id is 1..20 characters: "a&b" is 3 (it was read as "a&#38;b", 7).
        let long = String(repeating: "&amp;", count: 20)
        let r = classesXML(["<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"\(long)\" students=\"3\"/>"])
        #expect(r.isValid, "20 ampersands are 20 characters")
        let over = classesXML(["<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"\(long)&#38;\" students=\"3\"/>"])
        #expect(over.triples == [Triple("E_RANGE", 3, "class_id")])
    }

    @Test func attributeElementAndCSVTwinsAreTheSameRecords() {
        // The content digest decides duplicates and revision conflicts: the
        // three forms of "a&b" must give the same one.
        let digest = { (name: String, text: String) -> [UInt8]? in
            let dir = Fixtures.tempDirectory("d")
            Fixtures.write(Array(text.utf8), to: dir + "/" + name)
            let report = Fixtures.validator().validate(path: dir + "/" + name, displayPath: name, digest: true)
            #expect(report.isValid, "\(report.triples)")
            return report.contentDigest
        }
        let csv = digest("110101_class_size_2022-autumn.csv", Samples.csv(header, ["110101,1111010001,primary,1,a&b,45"]))
        let attribute = digest("110101_class_size_2022-autumn.xml", Samples.xml("class_size", [
            "<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"a&amp;b\" students=\"45\"/>"]))
        let element = digest("110101_class_size_2022-autumn.xml", Samples.xml("class_size", [Samples.classElement(classID: "a&amp;b", students: "45")]))
        #expect(csv != nil)
        #expect(csv == attribute)
        #expect(attribute == element)
    }

    @Test func rootAttributesAreReadToo() {
        let r = Fixtures.validate("110101_class_size_2022-autumn.xml",
            "<?xml version=\"1.0\"?>\n<submission dataset=\"class_size\" county=\"110101\" period=\"2022&#45;autumn\">\n\(Samples.classElement())\n</submission>\n")
        #expect(r.isValid)
    }

    /// A prefix nobody declared changes nothing either: the local name
    /// counts (FuzzXML found the reader stopping where libxml2's tree reads on).
    @Test func anUndeclaredPrefixIsReadByItsLocalName() {
        let r = classesXML(["<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"a\" q:students=\"45\"/>"])
        #expect(r.isValid, "\(r.triples)")
        let twice = classesXML(["<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"a\" q:students=\"45\" students=\"2\"/>"])
        #expect(twice.triples == [Triple("E_TYPE", 3, "students")])
        let element = classesXML(["<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"a\"><q:students>45</q:students></record>"])
        #expect(element.isValid, "\(element.triples)")
    }

    // MARK: field twice and markup, judged at the field's place

    @Test func fieldGivenTwiceIsJudgedAtItsPlace() {
        // grade (4th field) is given twice, stage (3rd) is wrong: stage first.
        let r = classesXML(["<record county_code=\"110101\" school_id=\"1111010001\" stage=\"middle\" grade=\"1\" class_id=\"a\" students=\"3\"><grade>1</grade></record>"])
        #expect(r.triples == [Triple("E_ENUM", 3, "stage"), Triple("E_TYPE", 3, "grade")])
        // students (6th) twice, grade (4th) out of range: grade first.
        let s = classesXML(["<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"8\" class_id=\"a\" students=\"3\" p:students=\"4\" xmlns:p=\"urn:x\"/>"])
        #expect(s.triples == [Triple("E_RANGE", 3, "grade"), Triple("E_TYPE", 3, "students")])
        #expect(s.log.firstError == .range)
    }

    @Test func fieldElementHoldingAnElementIsAType() {
        let r = classesXML([Samples.classElement(students: "4<b/>5")])
        #expect(r.triples == [Triple("E_TYPE", 3, "students")])
        #expect(r.log.all[0].message.contains("students"))
        // The same value as text is fine.
        #expect(classesXML([Samples.classElement(students: "45")]).isValid)
    }

    // MARK: CSV header

    @Test func repeatedUnknownColumnIsAHeaderError() {
        let r = classesCSV(Samples.csv(header + ",note,note", [row + ",a,b"]))
        #expect(r.triples == [Triple("W_UNKNOWN_COLUMN", 1, "note"), Triple("E_HEADER", 1, "note")])
        // Once is a warning only.
        #expect(classesCSV(Samples.csv(header + ",note", [row + ",a"])).isValid)
        // Two empty names are a repeated name; one is an unknown column.
        #expect(classesCSV(Samples.csv(header + ",,", [row + ",,"])).log.firstError == .header)
        #expect(classesCSV(Samples.csv(header + ",", [row + ","])).isValid)
    }

    @Test func syntaxOrEncodingLaterInTheFileComesBeforeTheHeader() {
        // Header wrong (no students) and an open quote on the last line.
        let noStudents = "county_code,school_id,stage,grade,class_id"
        let r = classesCSV(noStudents + "\n110101,1111010001,primary,1,1-01\n110101,\"1111010001,primary,1,1-02\n")
        #expect(r.log.firstError == .csvSyntax)
        // Header wrong and a byte that decodes in no allowed encoding last.
        var bytes = Array((noStudents + "\n110101,1111010001,primary,1,1-01\n").utf8)
        bytes += [0x31, 0x2C, 0xFF, 0xFF, 0x0A]
        let e = Fixtures.validate("110101_class_size_2022-autumn.csv", bytes)
        #expect(e.log.firstError == .encoding)
        #expect(e.triples.first == Triple("E_ENCODING", 3, nil))
        // Without the later fault the header is the first error.
        #expect(classesCSV(noStudents + "\n110101,1111010001,primary,1,1-01\n").log.firstError == .header)
    }

    // MARK: white space

    @Test(arguments: ["\u{2003}", "\u{202F}", "\u{2028}", "\u{3000}", "\u{00A0}", "\u{0085}", "\u{1680}", "\u{205F}", "\u{000B}", "\u{000C}"])
    func unicodeWhiteSpaceIsTrimmed(space: String) {
        let r = classesCSV(Samples.csv(header, ["110101,\(space)1111010001\(space),primary,1,1-01,45"]))
        #expect(r.isValid, "U+\(String(space.unicodeScalars.first!.value, radix: 16))")
    }

    /// White space at the ends of a record, and ASCII white space (which the
    /// word-at-a-time scan marks), is trimmed like any other.
    @Test(arguments: [" ", "\t", "\u{3000}", "\u{00A0}"])
    func whiteSpaceAtTheRecordsEndsIsTrimmed(space: String) {
        let r = classesCSV(Samples.csv(header, ["\(space)110101,1111010001,primary,1,1-01,45\(space)",
                                                "110101,1111010001,primary,1,1-02,\(space)\(space)46"]))
        #expect(r.isValid, "U+\(String(space.unicodeScalars.first!.value, radix: 16))")
        #expect(r.records == 2)
        // Inside a value it is not trimmed: a class ID may hold a space,
        // a number may not.
        let inside = classesCSV(Samples.csv(header, ["110101,1111010001,primary,1,1-01,4\(space)5"]))
        #expect(inside.triples == [Triple("E_TYPE", 2, "students")])
    }

    @Test(arguments: ["\u{200B}", "\u{FEFF}", "\u{001F}"])
    func otherCharactersAreNotWhiteSpace(char: String) {
        let r = classesCSV(Samples.csv(header, ["110101,\(char)1111010001,primary,1,1-01,45"]))
        #expect(r.triples == [Triple("E_TYPE", 2, "school_id")])
    }

    @Test func linesOfOnlyWhiteSpaceAreBlank() {
        let r = classesCSV("\u{3000}\n" + header + "\n\u{00A0}\u{3000}\n" + row + "\n \u{2003}\t\n")
        #expect(r.isValid)
        #expect(r.records == 1)
        // A quoted empty value is a value, not a blank line.
        #expect(classesCSV(header + "\n\"\"\n" + row + "\n").triples == [Triple("E_FIELD_COUNT", 2, nil)])
    }

    // MARK: after a closing quote

    @Test func spaceAfterAClosingQuoteIsSyntax() {
        let r = classesCSV(Samples.csv(header, ["110101,\"1111010001\" ,primary,1,1-01,45"]))
        #expect(r.triples == [Triple("E_CSV_SYNTAX", 2, "school_id")])
        #expect(classesCSV(Samples.csv(header, ["110101,\"1111010001\",primary,1,1-01,\"45\""])).isValid)
    }

    // MARK: declared encodings

    @Test func everyGBKLabelReadsWithTheGB18030Decoder() {
        // 喆 is GBK-only (86 B4): declared GB2312 it is read, as browsers do.
        for label in ["GB2312", "gbk", "x-gbk", "chinese", "csGB2312", "GB_2312-80", "iso-ir-58", "gb18030", "csiso58gb231280", "gb_2312"] {
            var bytes = Array("<?xml version=\"1.0\" encoding=\"\(label)\"?>\n<submission dataset=\"class_size\" county=\"110101\" period=\"2022-autumn\">\n<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"".utf8)
            bytes += [0x86, 0xB4]
            bytes += Array("\" students=\"3\"/>\n</submission>\n".utf8)
            let r = Fixtures.validate("110101_class_size_2022-autumn.xml", bytes)
            #expect(r.isValid, "\(label): \(r.triples)")
        }
        for label in ["utf-8", "UTF8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"] {
            #expect(classesXML([Samples.classElement()], encoding: label).isValid, "\(label)")
        }
    }

    @Test(arguments: ["CP936", "US-ASCII", "EUC-CN", "ISO-8859-1", "UTF-16", "ASCII"])
    func otherLabelsAreEncodingErrors(label: String) {
        let r = classesXML([Samples.classElement()], encoding: label)
        #expect(r.triples == [Triple("E_ENCODING", 1, nil)])
    }

    @Test func utf8MarkBeforeAnotherDeclarationIsAnEncodingError() {
        let text = Samples.xml("class_size", encoding: "GBK", [Samples.classElement()])
        let r = Fixtures.validate("110101_class_size_2022-autumn.xml", [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(r.triples == [Triple("E_ENCODING", 1, nil)])
        let utf8 = Samples.xml("class_size", encoding: "UTF-8", [Samples.classElement()])
        #expect(Fixtures.validate("110101_class_size_2022-autumn.xml", [0xEF, 0xBB, 0xBF] + Array(utf8.utf8)).isValid)
    }

    // MARK: after the last gzip member

    @Test func zeroBytesAfterTheGzipDataAreGzipErrors() {
        let zipped = Fixtures.gzip(Array(Samples.csv(header, [row]).utf8))
        #expect(Fixtures.validate("110101_class_size_2022-autumn.csv.gz", zipped).isValid)
        for tail: [UInt8] in [[0], [0, 0, 0, 0], [0x1F], [0x1F, 0x8B], Array("x".utf8)] {
            let r = Fixtures.validate("110101_class_size_2022-autumn.csv.gz", zipped + tail)
            #expect(r.triples == [Triple("E_GZIP", nil, nil)], "\(tail)")
            #expect(!r.log.all[0].message.contains("truncated") || tail.first == 0x1F, "\(tail)")
        }
    }
}
