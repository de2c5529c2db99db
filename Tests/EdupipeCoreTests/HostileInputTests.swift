import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import EdupipeSupport
@testable import EdupipeInput
@testable import EdupipeStandard
@testable import EdupipeAggregate
@testable import EdupipeRun

/// The findings of "hostile input cannot hurt", each as the file that found
/// it: what it must give now, code, line and column.
@Suite struct HostileInputTests {
    /// A valid resident ID (check character 7), and its masked form.
    static let id = "110101200501010017"
    static let masked = "110101********0017"

    // MARK: 1. namespaced attributes

    @Test func aFieldGivenAsManyNamespacedAttributesIsETypeAndOverrunsNothing() {
        let attrs = (0..<12).map { "xmlns:p\($0)=\"urn:\($0)\" p\($0):students=\"\(String(repeating: "4", count: 3000))\"" }
        let xml = Samples.xml("class_size", [
            "<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"1-01\" \(attrs.joined(separator: " "))/>"])
        let r = Fixtures.validate("110101_class_size_2022-autumn.xml", xml)
        #expect(!r.isValid)
        // One E_TYPE at the field's place (section 6), however many times
        // it is given; its values are not checked further.
        #expect(r.triples == [Triple("E_TYPE", 3, "students")])
        #expect(r.log.all[0].message.count < 300)
    }

    @Test func twoPrefixesOfOneFieldAreETypeNotLastWins() {
        let xml = Samples.xml("class_size", [
            "<record xmlns:a=\"u\" xmlns:b=\"v\" county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"1-01\" a:students=\"45\" b:students=\"46\"/>",
            "<record xmlns:a=\"u\" county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"1-02\" a:students=\"45\"><a:students>46</a:students></record>"])
        let r = Fixtures.validate("110101_class_size_2022-autumn.xml", xml)
        #expect(r.triples == [Triple("E_TYPE", 3, "students"), Triple("E_TYPE", 4, "students")])
    }

    @Test func aPrefixedRootAttributeGivenTwiceIsEMetadata() {
        let xml = """
            <?xml version="1.0"?>
            <submission xmlns:a="u" dataset="class_size" county="110101" period="2022-autumn" a:county="110102">
            <record county_code="110101" school_id="1111010001" stage="primary" grade="1" class_id="1-01" students="45"/>
            </submission>
            """
        let r = Fixtures.validate("110101_class_size_2022-autumn.xml", xml)
        #expect(r.triples == [Triple("E_METADATA", 2, "county")])
    }

    // MARK: 2. GB18030 with an open quote

    @Test func anOpenQuoteInGB18030Past64KiBIsECSVSyntaxNotACrash() {
        let text = Samples.afterHeader + "\n110101,1111010001,\"第一小学,primary,500,1,400,5,120,1\n"
            + String(repeating: "课后服务学校", count: 20_000) + "\n"
        let r = Fixtures.validate("110101_after_school_2022-autumn.csv", Fixtures.gb18030(text))
        #expect(r.encoding == "GB18030")
        #expect(r.triples == [Triple("E_CSV_SYNTAX", 2, "school_name")])
    }

    /// Reference test: GB18030 decoded into buffers of every small size
    /// gives the same text as one large read.
    @Test func gb18030DecodesIntoBuffersOfAnySize() throws {
        let text = "县,学校\n" + String(repeating: "课后服务a😀,", count: 300)
        let bytes = Fixtures.gb18030(text)
        for size in 1...9 {
            let source = try TextSource(input: MemorySource(bytes, maxChunk: 5), encoding: .gb18030)
            var out: [UInt8] = []
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 1)
            defer { buffer.deallocate() }
            while true {
                let n = try source.read(into: buffer)
                if n == 0 { break }
                #expect(n <= size)
                out += buffer[..<n]
            }
            #expect(out == Array(text.utf8), "buffer of \(size) bytes")
        }
    }

    // MARK: 3. XML bytes that do not decode

    static func classRecords(_ n: Int, county: String = "110101") -> [String] {
        (1...n).map { "<record county_code=\"\(county)\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"1-\($0)\" students=\"45\"/>" }
    }

    @Test(arguments: ["GBK", "GB2312", "GB18030"])
    func aBadByteMidDocumentIsEEncodingWithItsLine(encoding: String) {
        let records = Self.classRecords(60)
        let head = Samples.xml("class_size", encoding: encoding, Array(records[..<30]))
        let cut = head.range(of: "</submission>")!.lowerBound
        var bytes = Fixtures.gb18030(String(head[..<cut]), charset: encoding)
        // Line 33: a lead byte followed by a space, which no GB encoding has.
        bytes += Array("<!-- ".utf8) + [0x81, 0x20] + Array(" -->\n".utf8)
        bytes += Fixtures.gb18030(records[30...].joined(separator: "\n") + "\n</submission>\n", charset: encoding)
        let r = Fixtures.validate("110101_class_size_2022-autumn.xml", bytes)
        #expect(!r.isValid)
        #expect(r.log.fatal.map { Triple($0.code.rawValue, $0.line, $0.column) } == Triple("E_ENCODING", 33, nil))
        #expect(r.log.firstError == .encoding)
    }

    @Test func aStrayByteAfterTheRootIsEEncoding() {
        let list = Samples.xml("dropout", encoding: "GBK", [
            "<record county_code=\"110101\" student_id=\"\(Self.id)\" grade=\"5\" identified_on=\"2022-09-01\" status=\"out\"/>",
            "<record county_code=\"110101\" student_id=\"11010120050101005X\" grade=\"5\" identified_on=\"2022-09-01\" status=\"out\"/>"])
        let r = Fixtures.validate("110101_dropout_2022-autumn.xml", Fixtures.gb18030(list, charset: "GBK") + [0xFF])
        // The list ends with "</submission>" and a line end: 0xFF is on line 6.
        #expect(r.triples.first == Triple("E_ENCODING", 6, nil))
        #expect(r.totals == nil)
    }

    @Test func invalidUTF8InADeclaredUTF8DocumentIsEEncodingNotSyntaxOrEmpty() {
        var bytes = Array(Samples.xml("class_size", Self.classRecords(2)).utf8)
        bytes.insert(contentsOf: [0xC3, 0x28], at: bytes.count - 20)
        let r = Fixtures.validate("110101_class_size_2022-autumn.xml", bytes)
        #expect(r.codes.first == "E_ENCODING")
        #expect(r.log.fatal?.line == 4)
        // A GBK document read right still reads its Chinese values.
        let gbk = Samples.xml("class_size", encoding: "GBK", ["<record county_code=\"110101\" school_id=\"1111010001\" stage=\"primary\" grade=\"1\" class_id=\"一班\" students=\"45\"/>"])
        let ok = Fixtures.validate("110101_class_size_2022-autumn.xml", Fixtures.gb18030(gbk, charset: "GBK"))
        #expect(ok.isValid && ok.records == 1)
    }

    /// Fuzz finding (FuzzXML, FuzzValidate): libxml2 2.9's own UTF-7
    /// converter crashed in xmlParseChunk. No declared encoding but the
    /// standard's reaches libxml2 now.
    @Test(arguments: ["UTF-7", "UTF-16", "ISO-8859-1", "EBCDIC"])
    func anEncodingTheStandardDoesNotNameIsEEncodingOnLine1(encoding: String) throws {
        let regression = Fixtures.packageRoot + "/Fuzz/regressions/FuzzValidate/crash-a0fad8d5cee9a8603a31425a815b0937896120b2"
        let crashed = try #require(FileManager.default.contents(atPath: regression))
        let found = Fixtures.validate("110101_class_size_2022-autumn.xml", Array(crashed.dropFirst()))
        #expect(found.triples == [Triple("E_ENCODING", 1, nil)])
        let r = Fixtures.validate("110101_class_size_2022-autumn.xml", Samples.xml("class_size", encoding: encoding, Self.classRecords(1)))
        #expect(r.triples == [Triple("E_ENCODING", 1, nil)])
        #expect(r.log.fatal?.message.contains("save the file as UTF-8") == true)
    }

    // MARK: 4. CR-only line ends

    @Test func crOnlyLineEndsAreECSVSyntaxNotZeroDropouts() {
        let text = Samples.csv(Samples.dropoutHeader, [
            "110101,\(Self.id),,5,2022-09-01,out,,economic",
            "110101,11010120050101005X,,5,2022-09-01,out,,economic"]).replacingOccurrences(of: "\n", with: "\r")
        let r = Fixtures.validate("110101_dropout_2022-autumn.csv", text)
        // Found while reading the header: no column name is known yet.
        #expect(r.triples == [Triple("E_CSV_SYNTAX", 1, nil)])
        #expect(r.log.fatal?.message.contains("CSV (Macintosh)") == true)
        #expect(r.totals == nil)
    }

    @Test func aCROutsideQuotesIsECSVSyntaxAndInsideIsValue() {
        let inside = Fixtures.validate("110101_after_school_2022-autumn.csv", Samples.csv(Samples.afterHeader, [
            "110101,1111010001,\"第一\r小学\",primary,500,1,400,5,120,1"]).replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(inside.isValid)
        let bare = Fixtures.validate("110101_after_school_2022-autumn.csv", Samples.csv(Samples.afterHeader, [
            "110101,1111010001,第一小学,primary,500,1,400,5,120,1",
            "110101,1111010002,第二\r小学,primary,500,1,400,5,120,1"]))
        #expect(bare.triples == [Triple("E_CSV_SYNTAX", 3, "school_name")])
        let afterQuote = Fixtures.validate("110101_after_school_2022-autumn.csv", Samples.csv(Samples.afterHeader, [
            "110101,1111010001,\"第一小学\"\r110101"]))
        #expect(afterQuote.triples == [Triple("E_CSV_SYNTAX", 2, "school_name")])
    }

    @Test func aRepeatedColumnIsEHeader() {
        let r = Fixtures.validate("110101_dropout_2022-autumn.csv",
                                  Samples.dropoutHeader + ",grade\n110101,\(Self.id),,5,2022-09-01,out,,economic,5\n")
        #expect(r.triples == [Triple("E_HEADER", 1, "grade")])
    }

    // MARK: 5. IDs outside student_id

    @Test func aMissingHeaderRowPrintsNoID() {
        let r = Fixtures.validate("110101_dropout_2022-autumn.csv", "110101,\(Self.id),,5,2022-09-01,out,,economic\n")
        #expect(!r.isValid)
        let text = r.log.all.map { "\($0.column ?? "") \($0.message)" }.joined(separator: "\n")
        #expect(!text.contains(Self.id))
        #expect(text.contains(Self.masked))
        #expect(r.triples.contains(Triple("W_UNKNOWN_COLUMN", 1, Self.masked)))
    }

    @Test func anIDInSchoolIDIsMaskedInTheMessage() {
        let r = Fixtures.validate("110101_dropout_2022-autumn.csv", Samples.csv(Samples.dropoutHeader, [
            "110101,11010120050101005X,\(Self.id),5,2022-09-01,out,,economic"]))
        #expect(r.triples == [Triple("E_TYPE", 2, "school_id")])
        #expect(r.log.all[0].message.contains(Self.masked))
        #expect(!r.log.all[0].message.contains(Self.id))
    }

    @Test func theMaskFindsIDsWhereverTheyStand() {
        #expect(ResidentIDMask.scrub("x\(Self.id)y") == "x\(Self.masked)y")
        #expect(ResidentIDMask.scrub("9\(Self.id)") == "9\(Self.masked)")
        #expect(ResidentIDMask.scrub("11010120050101005x") == "110101********005x")
        // Two IDs back to back, the second starting in the first's last four.
        // (00172005010100123 + check 0 is an ID too.)
        let two = Self.id + "20050101001230"
        #expect(ResidentIDMask.scrub(two) == Self.masked + "20********1230")
        // A wrong check character is not an ID: left as it is (the student_id
        // checks mask those themselves).
        #expect(ResidentIDMask.scrub("110101200501010013") == "110101200501010013")
        #expect(ResidentIDMask.scrub("1234567890") == "1234567890")
        let issue = Issue(.type, line: 1, column: Self.id, "value \(Self.id)")
        #expect(issue.column == Self.masked && issue.message == "value \(Self.masked)")
        #expect(RawPath("a/\(Self.id).csv").display == "a/\(Self.masked).csv")
    }

    // MARK: 6. folder names in any bytes

    @Test func aFolderNamedInGB18030IsReadAndShownEscaped() throws {
        let root = Fixtures.tempDirectory("gbname")
        let folder = root.utf8CString.dropLast().map { UInt8(bitPattern: $0) } + Array("/".utf8) + [0xB1, 0xB1, 0xBE, 0xA9]
        // A String cannot hold these bytes: the folder is made from them.
        let made = SystemIO.withCString(folder) { mkdir($0, 0o755) }
        #expect(made == 0)
        let file = RawPath(bytes: folder).appending(RawPath("110101_class_size_2022-autumn.csv"))
        let content = Samples.csv(Samples.classHeader, ["110101,1111010001,primary,1,1-01,45"])
        let fd = SystemIO.withCString(file.bytes) { open($0, O_WRONLY | O_CREAT, 0o644) }
        #expect(fd >= 0)
        _ = content.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        let entries = try Inbox.entries(root)
        #expect(entries.map(\.path) == ["\\xB1\\xB1\\xBE\\xA9/110101_class_size_2022-autumn.csv"])
        let report = Fixtures.validator().validate(raw: RawPath(root).appending(entries[0].raw), displayPath: entries[0].path)
        #expect(report.isValid && report.records == 1)
    }

    @Test func aBrokenLinkAndAFifoAreEUnreadableNotLost() throws {
        let root = Fixtures.tempDirectory("links")
        symlink(root + "/nowhere.csv", root + "/110101_class_size_2022-autumn.csv")
        mkfifo(root + "/110102_class_size_2022-autumn.csv", 0o644)
        let entries = try Inbox.entries(root)
        #expect(entries.map(\.path) == ["110101_class_size_2022-autumn.csv", "110102_class_size_2022-autumn.csv"])
        for e in entries {
            let r = Fixtures.validator().validate(raw: RawPath(root).appending(e.raw), displayPath: e.path)
            #expect(r.codes == ["E_UNREADABLE"], "\(e.path)")
        }
    }

    // MARK: 9. configuration

    func registryError(_ text: [UInt8]) -> String {
        do {
            _ = try Registry.parse(text, source: "divisions.csv")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func aBrokenRegistryIsRefusedWithItsLine() {
        let head = "code,name,level,parent_code\n110000,北京市,province,\n110100,北京市市辖区,prefecture,110000\n"
        #expect(registryError(Fixtures.gb18030(head)).hasPrefix("divisions.csv line 2: the registry is not UTF-8"))
        #expect(registryError(Array((head + "110101,东城区,county,110100\n110101,西城区,county,110100\n").utf8))
            == "divisions.csv line 5: code 110101 is listed again (first on line 4): each unit has one row")
        #expect(registryError(Array("code,name,level,parent_code\n".utf8)).contains("has a header but no units"))
        #expect(registryError(Array((head + "110101,东城区,county,110100\n110102,西城区,county,110101\n").utf8))
            == "divisions.csv line 5: county 110102 must sit under a prefecture or a province, not a county")
        #expect(registryError(Array((head + "110101,东城区,county,110199\n").utf8)).hasPrefix("divisions.csv line 4: 110101 names parent 110199"))
        #expect(registryError(Array((head + "110101,东城区,county,110100\n").utf8)) == "no error")
    }

    @Test func aDamagedOrEmptyLedgerSaysWhatToDo() throws {
        let state = Fixtures.tempDirectory("ledger")
        // Empty before any run made it (a first run killed at once): made anew.
        FileManager.default.createFile(atPath: state + "/state.sqlite", contents: Data())
        #expect(throws: Never.self) { _ = try Ledger(directory: state).runs(limit: 1) }
        // Empty after a run made it: refused.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: state + "/state.sqlite" + suffix) }
        FileManager.default.createFile(atPath: state + "/state.sqlite", contents: Data())
        #expect(failure { try Ledger(directory: state) }?.code == .invalidFile)
        do { _ = try Ledger(directory: state) } catch {
            #expect("\(error)".contains("is empty (0 bytes)") && "\(error)".contains("move it aside"))
        }
        FileManager.default.createFile(atPath: state + "/state.sqlite", contents: Data(repeating: 0x41, count: 8192))
        do {
            _ = try Ledger(directory: state)
            Issue.record("a damaged ledger was opened")
        } catch {
            #expect("\(error)".contains("is damaged") && "\(error)".contains("move it aside"))
        }
        // The damaged file is left as it was: no new history over it.
        #expect(FileManager.default.contents(atPath: state + "/state.sqlite") == Data(repeating: 0x41, count: 8192))
    }

    @Test func planLimitsOutsideTheReadersRangeAreRefused() {
        // Plans that extend the shipped one and change only a limit.
        func error(_ yaml: String) -> String {
            let source = Fixtures.packageRoot + "/pipelines/p.yaml"
            do { _ = try CompiledPlan.parse("extends: basic-education-2022.yaml\n" + yaml, source: source); return "no error" } catch { return "\(error)" }
        }
        #expect(error("plan: x\nlimits:\n  max_record_bytes: 4294967296\n").contains("p.yaml:4:21: limits.max_record_bytes: 4294967296 is more than the most allowed"))
        #expect(error("plan: x\nlimits:\n  max_decompressed_bytes: 9223372036854775807\n").contains("is more than the most allowed"))
        #expect(error("plan: x\nlimits:\n  max_record_bytes: 1073741824\n") == "no error")
    }

    // MARK: 8. folders apart

    @Test func outputAndStateInsideTheInboxAreRefused() {
        let inbox = Fixtures.tempDirectory("apart")
        #expect(failure { try RunFolders.check(inbox: inbox, out: inbox + "/out", state: nil) }?.code == .invalidArgument)
        #expect(failure { try RunFolders.check(inbox: inbox, out: inbox + "/../x", state: inbox + "/./s/t") }?.code == .invalidArgument)
        try? FileManager.default.createDirectory(atPath: inbox + "/in", withIntermediateDirectories: true)
        #expect(failure { try RunFolders.check(inbox: inbox + "/in", out: inbox, state: nil) }?.code == .invalidArgument)
        #expect(throws: Never.self) { try RunFolders.check(inbox: inbox + "/in", out: inbox + "/inbox-out", state: inbox + "/s") }
    }
}
