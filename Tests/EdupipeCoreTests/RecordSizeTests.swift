import Testing
@testable import EdupipeAggregate
@testable import EdupipeOutput

/// What a night keeps per file and per indicator row, multiplied by 25,686
/// files and 270,000 rows on three national periods (issue 21's 50 MB):
/// a field added inline to either shows here first.
@Suite struct RecordSizeTests {
    @Test func aFileRecordAndAnIndicatorRowStaySmall() {
        // 184 and 16 bytes with Swift 6.3 (256 and 32 before issue 21).
        #expect(MemoryLayout<SubmissionRecord>.stride <= 192)
        #expect(IndicatorRows.bytesPerRow == 16)
    }
}
