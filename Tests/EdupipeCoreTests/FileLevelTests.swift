import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import EdupipeInput
@testable import EdupipeStandard

/// File-level errors: name, registry, decompression, size, encoding, syntax,
/// header, root, emptiness.
@Suite struct FileLevelTests {
    let goodClasses = Samples.csv(Samples.classHeader, ["110101,1111010001,primary,1,1-01,45"])

    @Test(arguments: [
        "class_size.csv", "110101_class_size_2022-autumn.txt", "110101_classsize_2022-autumn.csv",
        "110101_class_size_2022-summer.csv", "110101_class_size_2022-autumn_r0.csv", "110101_class_size_2022-autumn_2.csv",
        "1101011_class_size_2022-autumn.csv", "110101_class_size_2022-autumn.CSV", "110101_class_size_22-autumn.csv",
    ])
    func badNames(name: String) {
        let r = Fixtures.validate(name, goodClasses)
        #expect(r.triples == [Triple("E_FILENAME", nil, nil)])
        #expect(r.name == nil)
        #expect(r.log.all[0].message.contains("<county>_<dataset>_<period>"))
    }

    @Test func goodNames() {
        let n = SubmissionName.parse("110101_class_size_2022-autumn_r12.csv.gz")
        #expect(n == SubmissionName(county: "110101", dataset: .classSize, period: "2022-autumn", revision: 12, format: .csv, gzipName: true))
        #expect(SubmissionName.parse("429004_after_school_2023-spring.xml")?.revision == 1)
    }

    @Test func unknownCounty() {
        // 110100 is a prefecture (北京市市辖区), 999999 is nothing at all.
        for county in ["110100", "999999", "110000"] {
            let text = goodClasses.replacingOccurrences(of: "110101", with: county)
            let r = Fixtures.validate("\(county)_class_size_2022-autumn.csv", text)
            #expect(r.triples == [Triple("E_UNKNOWN_COUNTY", nil, nil)], "\(county)")
        }
    }

    @Test func countiesDirectlyUnderAProvinceMayReport() {
        let text = goodClasses.replacingOccurrences(of: "110101", with: "429004")
        #expect(Fixtures.validate("429004_class_size_2022-autumn.csv", text).isValid)
    }

    @Test func gzipCorruptAndTruncated() {
        let zipped = Fixtures.gzip(goodClasses + String(repeating: "110101,1111010002,junior,7,7-01,40\n", count: 1))
        let truncated = Array(zipped.dropLast(10))
        let r = Fixtures.validate("110101_class_size_2022-autumn.csv.gz", truncated)
        #expect(r.log.firstError == .gzip)
        #expect(r.triples.first == Triple("E_GZIP", nil, nil))
        var corrupt = zipped
        corrupt[15] ^= 0x55
        corrupt[16] ^= 0x55
        #expect(Fixtures.validate("110101_class_size_2022-autumn.csv.gz", corrupt).log.firstError == .gzip)
    }

    @Test func gzipDetectedWhateverTheName() {
        #expect(Fixtures.validate("110101_class_size_2022-autumn.csv", Fixtures.gzip(goodClasses)).isValid)
        #expect(Fixtures.validate("110101_class_size_2022-autumn.csv.gz", goodClasses).isValid)
    }

    @Test func multiMemberGzipFile() {
        let rows = ["110101,1111010001,primary,1,1-01,45\n", "110101,1111010001,primary,1,1-02,46\n"]
        let bytes = Fixtures.gzip(Samples.classHeader + "\n") + Fixtures.gzip(rows[0]) + Fixtures.gzip(rows[1])
        let r = Fixtures.validate("110101_class_size_2022-autumn.csv.gz", bytes)
        #expect(r.isValid)
        #expect(r.records == 2)
    }

    @Test func tooLarge() {
        let big = goodClasses + String(repeating: "\n", count: 5000)
        let r = Fixtures.validate("110101_class_size_2022-autumn.csv.gz", Fixtures.gzip(big)) { $0.maxDecompressedBytes = 1000 }
        #expect(r.triples == [Triple("E_TOO_LARGE", nil, nil)])
        let x = Fixtures.validate("110101_class_size_2022-autumn.xml", Samples.xml("class_size", [Samples.classElement()]) + String(repeating: " ", count: 5000)) { $0.maxDecompressedBytes = 1000 }
        #expect(x.log.firstError == .tooLarge)
    }

    @Test func encodingNeitherUTF8NorGB18030() {
        let bytes = Array((Samples.classHeader + "\n110101,1111010001,primary,1,").utf8) + [0xFF, 0xFE] + Array(",45\n".utf8)
        let r = Fixtures.validate("110101_class_size_2022-autumn.csv", bytes)
        #expect(r.triples == [Triple("E_ENCODING", 2, nil)])
    }

    @Test func gb18030WithChineseNamesAndBooleans() {
        let text = Samples.csv(Samples.afterHeader, [
            "110101,1111010001,\"北京市东城区第一实验小学, 东校区\",primary,800,是,700,5,120,是",
            "110101,1111010002,史家胡同小学,combined,1200,否,0,0,0,否",
        ])
        let r = Fixtures.validate("110101_after_school_2022-autumn.csv", Fixtures.gb18030(text))
        #expect(r.isValid, "\(r.log.all)")
        #expect(r.encoding == "GB18030")
        // schools, offering, participants, enrolled, five_two, funded
        #expect(r.totals == DatasetTotals(dataset: .afterSchool, values: [2, 1, 700, 2000, 1, 1]))
    }

    @Test func gb18030ErrorsKeepTheirLines() {
        let text = Samples.csv(Samples.afterHeader, [
            "110101,1111010001,第一小学,primary,800,是,700,5,120,是",
            "110101,1111010002,第二小学,primary,800,也许,700,5,120,是",
        ])
        let r = Fixtures.validate("110101_after_school_2022-autumn.csv", Fixtures.gb18030(text))
        #expect(r.triples == [Triple("E_TYPE", 3, "offers_service")])
        #expect(r.log.all[0].message.contains("也许"))
    }

    @Test func bomAndCRLF() {
        let text = "\u{FEFF}" + Samples.csv(Samples.classHeader, ["110101,1111010001,primary,1,1-01,45", "110101,1111010001,primary,1,1-01,45"])
            .replacingOccurrences(of: "\n", with: "\r\n")
        let r = Fixtures.validate("110101_class_size_2022-autumn.csv", text)
        #expect(r.encoding == "UTF-8")
        #expect(r.triples == [Triple("E_DUPLICATE_KEY", 3, "class_id")])
    }

    @Test func lineBreaksInsideQuotesMoveLaterLines() {
        let text = Samples.csv(Samples.afterHeader, [
            "110101,1111010001,\"第一\n小学\",primary,800,是,700,5,120,是",
            "110101,1111010002,第二小学,primary,800,是,900,5,120,是",
        ])
        let r = Fixtures.validate("110101_after_school_2022-autumn.csv", text)
        #expect(r.triples == [Triple("E_RULE", 4, "participants")])
    }

    @Test func csvSyntax() {
        let open = Samples.classHeader + "\n110101,1111010001,primary,1,\"1-01,45\n110101,1111010001,primary,1,1-02,45\n"
        #expect(Fixtures.validate("110101_class_size_2022-autumn.csv", open).triples == [Triple("E_CSV_SYNTAX", 2, "class_id")])
        let after = Samples.classHeader + "\n110101,1111010001,primary,1,\"1-01\"x,45\n"
        #expect(Fixtures.validate("110101_class_size_2022-autumn.csv", after).triples == [Triple("E_CSV_SYNTAX", 2, "class_id")])
        // In a column the schema does not know, the column is named as the
        // header wrote it (shown, not looked up).
        let unknown = Samples.classHeader + ",备注\n110101,1111010001,primary,1,1-01,45,\"x\n"
        #expect(Fixtures.validate("110101_class_size_2022-autumn.csv", unknown).triples
            == [Triple("E_CSV_SYNTAX", 2, "备注"), Triple("W_UNKNOWN_COLUMN", 1, "备注")])
    }

    @Test func headerProblems() {
        let missing = Samples.csv("county_code,school_id,stage,grade,class_id", ["110101,1111010001,primary,1,1-01"])
        #expect(Fixtures.validate("110101_class_size_2022-autumn.csv", missing).triples == [Triple("E_HEADER", 1, "students")])
        let twice = Samples.csv(Samples.classHeader + ",grade", ["110101,1111010001,primary,1,1-01,45,1"])
        #expect(Fixtures.validate("110101_class_size_2022-autumn.csv", twice).triples == [Triple("E_HEADER", 1, "grade")])
        for dataset in ["class_size", "after_school", "dropout"] {
            for content in ["", "\n\n  \n"] {
                let r = Fixtures.validate("110101_\(dataset)_2022-autumn.csv", content)
                #expect(r.triples == [Triple("E_HEADER", 1, nil)], "\(dataset) \(content.count) bytes")
            }
        }
    }

    @Test func columnsInAnyOrderAndUnknownColumnsWarn() {
        let text = Samples.csv("students,class_id,note,grade,stage,school_id,county_code", ["45,1-01,hello,1,primary,1111010001,110101"])
        let r = Fixtures.validate("110101_class_size_2022-autumn.csv", text)
        #expect(r.isValid)
        #expect(r.triples == [Triple("W_UNKNOWN_COLUMN", 1, "note")])
        #expect(r.log.warningCount == 1)
    }

    @Test func emptyFiles() {
        #expect(Fixtures.validate("110101_class_size_2022-autumn.csv", Samples.classHeader + "\n").triples == [Triple("E_EMPTY", nil, nil)])
        #expect(Fixtures.validate("110101_after_school_2022-autumn.csv", Samples.afterHeader + "\n\n").triples == [Triple("E_EMPTY", nil, nil)])
        let dropout = Fixtures.validate("110101_dropout_2022-autumn.csv", Samples.dropoutHeader + "\n")
        #expect(dropout.isValid)
        #expect(dropout.totals == DatasetTotals(dataset: .dropout, values: [0, 0, 0]))
        #expect(Fixtures.validate("110101_class_size_2022-autumn.xml", Samples.xml("class_size", [])).triples == [Triple("E_EMPTY", nil, nil)])
        #expect(Fixtures.validate("110101_dropout_2022-autumn.xml", Samples.xml("dropout", [])).isValid)
    }

    @Test func firstErrorFollowsTheStandardsOrder() {
        // Unknown county first, then the truncation found at the end, then rows.
        let text = Samples.csv(Samples.classHeader, ["110199,1111010001,primary,9,1-01,45"])
        let bytes = Array(Fixtures.gzip(text).dropLast(6))
        let r = Fixtures.validate("110199_class_size_2022-autumn.csv.gz", bytes)
        #expect(r.log.firstError == .unknownCounty)
        #expect(r.codes.prefix(2) == ["E_UNKNOWN_COUNTY", "E_GZIP"])
    }
}

/// `edupipe serve` reads an upload through the descriptor it wrote it
/// with: the same report as reading the file by its path, in every form
/// that opens the file more than once (GB18030 after UTF-8 failed, XML
/// that the flat reader declines), and the descriptor's offset untouched.
@Suite struct DescriptorReadingTests {
    static let files: [(name: String, bytes: [UInt8])] = [
        ("110101_class_size_2022-autumn.csv.gz",
         Fixtures.gzip(Array(Samples.csv(Samples.classHeader, ["110101,1111010001,primary,1,1-01,45",
                                                               "110101,1111010001,primary,2,2-01,x"]).utf8))),
        ("110101_after_school_2022-autumn.csv",
         Fixtures.gb18030(Samples.csv(Samples.afterHeader, ["110101,1111010001,第一小学,primary,800,是,700,5,120,是"]))),
        ("110101_class_size_2022-autumn.xml",
         Array(Samples.xml("class_size", ["<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"1-01\" students=\"45\"/><!-- a comment -->",
                                           "<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"9\" class_id=\"1-02\" students=\"45\"/>"]).utf8)),
        ("110101_class_size_2022-autumn_r2.csv.gz", Array(Fixtures.gzip(Array("county_code\n".utf8)).dropLast(6))),
    ]

    @Test(arguments: 0..<4)
    func theSameReportAsByPath(index: Int) throws {
        let (name, bytes) = Self.files[index]
        let dir = Fixtures.tempDirectory("d")
        Fixtures.write(bytes, to: dir + "/" + name)
        let byPath = Fixtures.validator().validate(path: dir + "/" + name, displayPath: name, digest: true)
        let fd = open(dir + "/" + name, O_RDWR | O_APPEND)
        #expect(fd >= 0)
        defer { close(fd) }
        let end = lseek(fd, 0, SEEK_END)
        let byDescriptor = Fixtures.validator().validate(descriptor: fd, displayPath: name, digest: true)
        #expect(lseek(fd, 0, SEEK_CUR) == end)
        #expect(byDescriptor.triples == byPath.triples)
        #expect(!byPath.triples.isEmpty || byPath.isValid)
        #expect(byDescriptor.isValid == byPath.isValid)
        #expect(byDescriptor.encoding == byPath.encoding)
        #expect(byDescriptor.records == byPath.records)
        #expect(byDescriptor.totals == byPath.totals)
        #expect(byDescriptor.contentDigest == byPath.contentDigest)
        #expect(byDescriptor.log.all.map(\.message) == byPath.log.all.map(\.message))
    }

    /// What each file is, so that the comparison above compares something.
    @Test func theFilesAreWhatTheyShouldBe() throws {
        let reports = Self.files.map { Fixtures.validate($0.name, $0.bytes) }
        #expect(reports[0].triples == [Triple("E_TYPE", 3, "students")])
        #expect(reports[1].isValid && reports[1].encoding == "GB18030")
        #expect(reports[2].triples.map(\.code) == ["E_RANGE"])
        #expect(reports[3].log.firstError == .gzip)
    }
}

/// A file source reads to the end it finds: a short read at the size the
/// file had when opened is its end (no read of nothing after it), and a
/// file that grew before it was read is read to its new end, by path and
/// by descriptor, with the digest over exactly the bytes read.
@Suite struct FileSourceEndTests {
    func readAll(_ source: FileSource, chunk: Int) throws -> [UInt8] { try StreamTests().drain(source, chunk: chunk) }

    @Test(arguments: [1, 7, 100, 1 << 16])
    func everyByteInChunksOfAnySize(chunk: Int) throws {
        let dir = Fixtures.tempDirectory("end")
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        Fixtures.write(bytes, to: dir + "/f")
        let source = try FileSource(path: dir + "/f", digesting: true)
        #expect(try readAll(source, chunk: chunk) == bytes)
        let identity = source.finishDigest()
        #expect(identity?.size == 1000)
        #expect(identity == FileIdentity.of(path: dir + "/f"))
    }

    @Test func aFileThatGrewBeforeItWasReadIsReadToItsNewEnd() throws {
        let dir = Fixtures.tempDirectory("grew")
        Fixtures.write(Array("first".utf8), to: dir + "/f")
        let byPath = try FileSource(path: dir + "/f", digesting: true)
        let fd = open(dir + "/f", O_RDWR | O_APPEND)
        #expect(fd >= 0)
        defer { close(fd) }
        let byDescriptor = try FileSource(descriptor: fd, display: "f", digesting: true)
        #expect(write(fd, "+more", 5) == 5)
        #expect(try readAll(byPath, chunk: 1 << 14) == Array("first+more".utf8))
        #expect(try readAll(byDescriptor, chunk: 3) == Array("first+more".utf8))
        #expect(byPath.finishDigest()?.size == 10)
        #expect(byDescriptor.finishDigest() == FileIdentity.of(path: dir + "/f"))
        // Empty when opened: its size says nothing of where it ends.
        Fixtures.write([], to: dir + "/empty")
        let empty = try FileSource(path: dir + "/empty", digesting: true)
        let append = open(dir + "/empty", O_WRONLY | O_APPEND)
        #expect(append >= 0)
        defer { close(append) }
        #expect(write(append, "abc", 3) == 3)
        #expect(try readAll(empty, chunk: 2) == Array("abc".utf8))
        // The kernel's files say they are empty and come back a page a
        // read: all of one is read, not its first page.
        if access("/proc/kallsyms", R_OK) == 0 {
            #expect(try readAll(FileSource(path: "/proc/kallsyms"), chunk: 1 << 16).count > 1 << 16)
        }
    }
}
