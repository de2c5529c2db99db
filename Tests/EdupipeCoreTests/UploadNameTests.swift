import Testing
@testable import EdupipeInput

/// The reference test of `UploadName.decode` (the name fuzzer checks its
/// promises on any bytes).
@Suite struct UploadNameTests {
    @Test(arguments: [
        ("110101_class_size_2022-autumn.csv", "110101_class_size_2022-autumn.csv"),
        ("110101_class_size_2022-autumn_r2.csv.gz", "110101_class_size_2022-autumn_r2.csv.gz"),
        ("%31%31%30101_dropout_2022-autumn.xml", "110101_dropout_2022-autumn.xml"),
        ("%E4%B8%AD.csv", "中.csv"),
        ("a%20b.csv", "a b.csv"),
    ])
    func plainNamesDecode(_ raw: String, _ expected: String) {
        #expect(UploadName.decode(Substring(raw)) == expected)
    }

    @Test(arguments: [
        "", "..%2Fx.csv", "a%2fb.csv", "a/b.csv", "%2E%2E%2F110101_class_size_2022-autumn.csv", ".hidden.csv", "%2Ehidden.csv",
        "a%00b.csv", "a%0Ab.csv", "a%7Fb.csv", "a%5Cb.csv", "a\\b.csv", "a%25b.csv", "%", "%4", "%ZZ.csv", "%C3%28.csv",
    ])
    func trickyNamesAreRefused(_ raw: String) {
        #expect(UploadName.decode(Substring(raw)) == nil)
    }

    @Test func lengthLimitOnBothSides() {
        #expect(UploadName.decode(Substring(String(repeating: "a", count: 251) + ".csv")) != nil)  // 255 bytes
        #expect(UploadName.decode(Substring(String(repeating: "a", count: 252) + ".csv")) == nil)  // 256
        // 85 three-byte characters are 255 bytes after decoding.
        #expect(UploadName.decode(Substring(String(repeating: "%E4%B8%AD", count: 85))) != nil)
        #expect(UploadName.decode(Substring(String(repeating: "%E4%B8%AD", count: 85) + "a")) == nil)
    }
}
