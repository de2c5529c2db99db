import Testing
@testable import EdupipeStandard

@Suite struct XMLFormTests {
    func classes(_ records: [String], county: String = "110101", period: String = "2022-autumn", name: String? = nil) -> FileReport {
        Fixtures.validate(name ?? "110101_class_size_2022-autumn.xml", Samples.xml("class_size", county: county, period: period, records))
    }

    @Test func elementAndAttributeForms() {
        let r = classes([Samples.classElement(), """
          <record county_code="110101" school_id="1111010001" stage="primary"
                  grade="1" class_id="1-02" students="44"/>
        """])
        #expect(r.isValid)
        #expect(r.records == 2)
    }

    @Test func recordLineIsTheLineOfItsStartTag() {
        // Line 1 declaration, 2 root, 3-10 first record, 11-12 second (attributes on two lines).
        let r = classes([Samples.classElement(grade: "8"), """
          <record county_code="110101" school_id="1111010001" stage="primary"
                  grade="9" class_id="1-02" students="44"/>
        """])
        #expect(r.triples == [Triple("E_RANGE", 3, "grade"), Triple("E_RANGE", 11, "grade")])
    }

    @Test func rowRulesInXML() {
        #expect(classes([Samples.classElement(students: "x")]).triples == [Triple("E_TYPE", 3, "students")])
        #expect(classes([Samples.classElement(), Samples.classElement()]).triples == [Triple("E_DUPLICATE_KEY", 11, "class_id")])
        #expect(classes([Samples.classElement(stage: "middle")]).triples == [Triple("E_ENUM", 3, "stage")])
        #expect(classes(["<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"a\"/>"])
            .triples == [Triple("E_REQUIRED", 3, "students")])
        #expect(classes(["<record county_code=\"110102\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"a\" students=\"3\"/>"])
            .triples == [Triple("E_COUNTY_MISMATCH", 3, "county_code")])
    }

    @Test func fieldGivenTwice() {
        let r = classes(["<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"a\" students=\"3\"><grade>1</grade></record>"])
        #expect(r.triples == [Triple("E_TYPE", 3, "grade")])
    }

    @Test func unknownElementsWarn() {
        let r = classes(["<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"a\" students=\"3\" colour=\"red\"><note>x</note></record>"])
        #expect(r.isValid)
        #expect(r.triples == [Triple("W_UNKNOWN_ELEMENT", 3, nil), Triple("W_UNKNOWN_ELEMENT", 3, nil)])
    }

    @Test func metadataMustMatchTheName() {
        #expect(classes([Samples.classElement()], county: "110102").triples == [Triple("E_METADATA", 2, "county")])
        #expect(classes([Samples.classElement()], period: "2023-spring").triples == [Triple("E_METADATA", 2, "period")])
        let wrongDataset = Fixtures.validate("110101_class_size_2022-autumn.xml", Samples.xml("dropout", [Samples.classElement()]))
        #expect(wrongDataset.triples == [Triple("E_METADATA", 2, "dataset")])
        let noAttrs = Fixtures.validate("110101_class_size_2022-autumn.xml", "<?xml version=\"1.0\"?>\n<submission>\n\(Samples.classElement())\n</submission>")
        #expect(noAttrs.triples == [Triple("E_METADATA", 2, "dataset"), Triple("E_METADATA", 2, "county"), Triple("E_METADATA", 2, "period")])
        let root = Fixtures.validate("110101_class_size_2022-autumn.xml", "<?xml version=\"1.0\"?>\n<classes/>\n")
        #expect(root.triples.first == Triple("E_METADATA", 2, nil))
    }

    @Test func malformed() {
        let r = classes([Samples.classElement(), "  <record><grade>1</record>"])
        #expect(r.log.firstError == .xmlSyntax)
        #expect(r.triples.first == Triple("E_XML_SYNTAX", 11, nil))
        #expect(Fixtures.validate("110101_class_size_2022-autumn.xml", "").triples == [Triple("E_XML_SYNTAX", 1, nil)])
        #expect(Fixtures.validate("110101_class_size_2022-autumn.xml", "<?xml version=\"1.0\"?>\n<submission dataset=\"class_size\" county=\"110101\" period=\"2022-autumn\">&undefined;</submission>").log.firstError == .xmlSyntax)
    }

    @Test func doctypeIsRejectedBeforeEntities() {
        let laughs = """
        <?xml version="1.0"?>
        <!DOCTYPE submission [
          <!ENTITY a "aaaaaaaaaa">
          <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
          <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
          <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
          <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
          <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
          <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
          <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
        ]>
        <submission dataset="class_size" county="110101" period="2022-autumn">
          <record county_code="110101" school_id="1111010001" stage="primary" grade="1" class_id="&h;" students="1"/>
        </submission>
        """
        let r = Fixtures.validate("110101_class_size_2022-autumn.xml", laughs)
        #expect(r.triples == [Triple("E_XML_DTD", 2, nil)])
        #expect(r.records == 0)
        let external = "<?xml version=\"1.0\"?>\n<!DOCTYPE submission SYSTEM \"http://example.invalid/x.dtd\">\n<submission/>"
        #expect(Fixtures.validate("110101_class_size_2022-autumn.xml", external).triples == [Triple("E_XML_DTD", 2, nil)])
    }

    @Test func declaredChineseEncodings() {
        for charset in ["GBK", "GB2312", "GB18030"] {
            let text = Samples.xml("after_school", encoding: charset, [
                "<record county_code=\"110101\" school_id=\"1111010001\" school_name=\"东城区第一小学\" stage=\"primary\" enrolled=\"10\" offers_service=\"是\" participants=\"9\" days_per_week=\"5\" minutes_per_day=\"120\" funding_secured=\"否\"/>",
                "<record><county_code>110101</county_code><school_id>1111010002</school_id><school_name>第二小学</school_name><stage>junior</stage><enrolled>20</enrolled><offers_service>否</offers_service><participants>0</participants><days_per_week>0</days_per_week><minutes_per_day>0</minutes_per_day><funding_secured>否</funding_secured></record>",
            ])
            let r = Fixtures.validate("110101_after_school_2022-autumn.xml", Fixtures.gb18030(text, charset: charset))
            #expect(r.isValid, "\(charset): \(r.log.all)")
            // schools, offering, participants, enrolled, five_two, funded
            #expect(r.totals == DatasetTotals(dataset: .afterSchool, values: [2, 1, 9, 30, 1, 0]))
        }
    }

    @Test func wrongBytesForTheDeclaredEncoding() {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<submission dataset=\"class_size\" county=\"110101\" period=\"2022-autumn\">".utf8)
            + [0xFF, 0xFE] + Array("</submission>".utf8)
        let r = Fixtures.validate("110101_class_size_2022-autumn.xml", bytes)
        #expect(r.log.firstError == .encoding)
    }

    @Test func gzippedXML() {
        let r = Fixtures.validate("110101_class_size_2022-autumn.xml.gz", Fixtures.gzip(Samples.xml("class_size", [Samples.classElement()])))
        #expect(r.isValid)
    }
}
