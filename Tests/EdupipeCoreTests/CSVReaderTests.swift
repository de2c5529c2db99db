import Testing
@testable import EdupipeInput
@testable import EdupipeSupport

/// Every case runs with the input cut into chunks of 1, 2, 3, 7 and 4096
/// bytes, so every resume path of the reader is taken.
@Suite struct CSVReaderTests {
    struct Row: Equatable { let line: Int; let fields: [String] }

    func read(_ text: String, chunk: Int, maxRecord: Int = 1 << 20) throws(CSVReadError) -> [Row] {
        try read(Array(text.utf8), chunk: chunk, maxRecord: maxRecord)
    }

    func read(_ bytes: [UInt8], chunk: Int, maxRecord: Int = 1 << 20) throws(CSVReadError) -> [Row] {
        let reader = CSVReader(source: MemorySource(bytes, maxChunk: chunk), maxRecordBytes: maxRecord, initialCapacity: 64)
        var rows: [Row] = []
        while try reader.next() {
            rows.append(Row(line: reader.recordLine, fields: (0..<reader.fieldCount).map { Bytes.string(reader.field($0)) }))
        }
        return rows
    }

    static let chunks = [1, 2, 3, 7, 4096]

    @Test(arguments: chunks) func quotesCommasAndLineBreaks(chunk: Int) throws {
        let text = "a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n3,,\n"
        #expect(try read(text, chunk: chunk) == [
            Row(line: 1, fields: ["a", "b", "c"]),
            Row(line: 2, fields: ["1", "x, y", "say \"hi\""]),
            Row(line: 3, fields: ["2", "two\nlines", "z"]),
            Row(line: 5, fields: ["3", "", ""]),
        ])
    }

    @Test(arguments: chunks) func crlfBlankLinesAndNoFinalNewline(chunk: Int) throws {
        let text = "a,b\r\n\r\n1,2\r\n   \r\n\n\"3\r\n\",4\r\n5,6"
        #expect(try read(text, chunk: chunk) == [
            Row(line: 1, fields: ["a", "b"]),
            Row(line: 3, fields: ["1", "2"]),
            Row(line: 6, fields: ["3\r\n", "4"]),
            Row(line: 8, fields: ["5", "6"]),
        ])
    }

    @Test(arguments: chunks) func bomIsDropped(chunk: Int) throws {
        let rows = try read([0xEF, 0xBB, 0xBF] + Array("a,b\n1,2\n".utf8), chunk: chunk)
        #expect(rows.first?.fields == ["a", "b"])
    }

    @Test(arguments: chunks) func quotedEmptyFieldIsNotABlankLine(chunk: Int) throws {
        #expect(try read("a\n\"\"\n", chunk: chunk) == [Row(line: 1, fields: ["a"]), Row(line: 2, fields: [""])])
    }

    @Test(arguments: chunks) func unterminatedQuote(chunk: Int) {
        #expect(throws: CSVReadError.unterminatedQuote(line: 3, field: 1)) {
            try read("a,b\n1,2\n3,\"open\n4,5\n", chunk: chunk)
        }
    }

    @Test(arguments: chunks) func textAfterClosingQuote(chunk: Int) {
        #expect(throws: CSVReadError.textAfterQuote(line: 2, field: 0)) {
            try read("a,b\n\"x\"y,2\n", chunk: chunk)
        }
    }

    @Test func recordLongerThanTheLimit() {
        let text = "a,b\n1,\"" + String(repeating: "x", count: 5000)
        #expect(throws: CSVReadError.recordTooLong(line: 2, limit: 1000)) {
            try read(text, chunk: 4096, maxRecord: 1000)
        }
    }

    /// Section 6: only a comma or a line end may follow a closing quote.
    @Test func aSpaceAfterAClosingQuoteIsSyntax() throws {
        #expect(throws: CSVReadError.textAfterQuote(line: 1, field: 0)) { try read("\"a\"  ,b\n", chunk: 3) }
        #expect(throws: CSVReadError.textAfterQuote(line: 2, field: 1)) { try read("a,b\n1,\"x\"\t\n", chunk: 1) }
        #expect(try read("\"a\",\"b\"\r\n", chunk: 1) == [Row(line: 1, fields: ["a", "b"])])
    }

    @Test func onlyBlankLinesMeansNoRecord() throws {
        #expect(try read("\n\n  \n\r\n", chunk: 2).isEmpty)
        #expect(try read("", chunk: 2).isEmpty)
    }
}
