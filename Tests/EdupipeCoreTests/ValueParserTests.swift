import Testing
@testable import EdupipeSupport
@testable import EdupipeInput
@testable import EdupipeStandard
@testable import EdupipeSynth

@Suite struct ValueParserTests {
    func parse<T>(_ s: String, _ f: (UnsafeRawBufferPointer) -> T) -> T {
        Array(s.utf8).withUnsafeBytes { f($0) }
    }

    @Test func residentIDCheckCharacter() {
        #expect(parse("11010519491231002X", ValueParsers.residentID) != .malformed)
        if case .valid = parse("11010519491231002X", ValueParsers.residentID) {} else { Issue.record("X check should be valid") }
        if case .valid = parse("11010519491231002x", ValueParsers.residentID) {} else { Issue.record("lower-case x is accepted") }
        #expect(parse("110105194912310021", ValueParsers.residentID) == .wrongCheck)
        #expect(parse("110101201005010012", ValueParsers.residentID) != .wrongCheck)
    }

    @Test func residentIDForm() {
        #expect(parse("11010519491231002", ValueParsers.residentID) == .malformed)
        #expect(parse("11010519491231002XX", ValueParsers.residentID) == .malformed)
        #expect(parse("1101051949123100AX", ValueParsers.residentID) == .malformed)
        #expect(parse("11010519491231002Y", ValueParsers.residentID) == .malformed)
        // Digits 7-14 are 2023-02-30: not a real date, so E_TYPE, not E_CHECKSUM.
        #expect(parse("110105202302300010", ValueParsers.residentID) == .impossibleBirthDate)
    }

    @Test func distinctIDsHaveDistinctNumbers() {
        let a = parse("11010519491231002X", ValueParsers.residentID)
        let b = parse("110101201005010012", ValueParsers.residentID)
        #expect(a != b)
    }

    @Test func dates() {
        #expect(parse("2023-03-01", ValueParsers.date) == 20230301)
        #expect(parse("2023/3/1", ValueParsers.date) == 20230301)
        #expect(parse("2023/03/01", ValueParsers.date) == 20230301)
        #expect(parse("2024-02-29", ValueParsers.date) == 20240229)
        #expect(parse("2000-02-29", ValueParsers.date) == 20000229)
        #expect(parse("1900-02-29", ValueParsers.date) == nil)
        #expect(parse("2023-02-29", ValueParsers.date) == nil)
        #expect(parse("2023-3-1", ValueParsers.date) == nil)
        #expect(parse("2023/13/1", ValueParsers.date) == nil)
        #expect(parse("2023/3/1/", ValueParsers.date) == nil)
        #expect(parse("2023/3/", ValueParsers.date) == nil)
        #expect(parse("20230301", ValueParsers.date) == nil)
        #expect(parse("2023-04-31", ValueParsers.date) == nil)
    }

    @Test func booleans() {
        for yes in ["1", "Y", "y", "true", "TRUE", "True", "是"] { #expect(parse(yes, ValueParsers.boolean) == true, "\(yes)") }
        for no in ["0", "N", "n", "false", "FALSE", "否"] { #expect(parse(no, ValueParsers.boolean) == false, "\(no)") }
        for bad in ["yes", "2", "", "t", "不"] { #expect(parse(bad, ValueParsers.boolean) == nil, "\(bad)") }
    }

    @Test func integers() {
        #expect(parse("045", ValueParsers.integer) == 45)
        #expect(parse("0", ValueParsers.integer) == 0)
        #expect(parse("-3", ValueParsers.integer) == nil)
        #expect(parse("+3", ValueParsers.integer) == nil)
        #expect(parse("4.5", ValueParsers.integer) == nil)
        #expect(parse("1,000", ValueParsers.integer) == nil)
        #expect(parse("", ValueParsers.integer) == nil)
        #expect(parse(String(repeating: "9", count: 40), ValueParsers.integer) == ValueParsers.integerCeiling)
    }

    @Test func fixedDigitsMatchesThePlainParseEightAtATime() {
        var rng = SynthRandom(seed: 11, stream: 0)
        for count in [1, 6, 8, 10, 16, 17] {
            for _ in 0..<200 {
                let digits = (0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) }
                let text = String(digits)
                #expect(parse(text) { ValueParsers.fixedDigits($0, count: count) } == UInt64(text), "\(text)")
            }
            // Every non-digit byte, at every position, is refused.
            let base = Array(String(repeating: "7", count: count).utf8)
            for position in 0..<count {
                for bad: UInt8 in [0x00, 0x20, 0x2F, 0x3A, 0x40, 0x7F, 0x80, 0xB0, 0xB9, 0xFF] {
                    var bytes = base
                    bytes[position] = bad
                    #expect(bytes.withUnsafeBytes { ValueParsers.fixedDigits($0, count: count) } == nil)
                }
            }
        }
        #expect(parse("123456789") { ValueParsers.fixedDigits($0, count: 10) } == nil)
    }

    @Test func maskingNeverShowsTheWholeID() {
        let masked = parse("11010519491231002X", ValueParsers.maskedID)
        #expect(masked == "110105********002X")
        #expect(!masked.contains("19491231"))
        #expect(parse("1101051949", ValueParsers.maskedID) == "110105****")
    }

    @Test func trimming() {
        let cases: [(String, String)] = [("  45 ", "45"), ("\t是\u{3000}", "是"), ("\u{00A0}x\u{00A0}", "x"), ("   ", ""), ("a b", "a b")]
        for (input, expected) in cases {
            let out = Array(input.utf8).withUnsafeBytes { Bytes.string(Bytes.trim($0)) }
            #expect(out == expected)
        }
    }

    @Test func codePoints() {
        #expect(Array("一二三abc".utf8).withUnsafeBytes(Bytes.codePointCount) == 6)
    }

    @Test func targets() throws {
        let five = try #require(Target.parse("<=0.05"))
        #expect(five.isMet(numerator: 5, denominator: 100))
        #expect(!five.isMet(numerator: 6, denominator: 100))
        let one = try #require(Target.parse(">=1"))
        #expect(one.isMet(numerator: 7, denominator: 7))
        #expect(!one.isMet(numerator: 6, denominator: 7))
        let zero = try #require(Target.parse("<=0"))
        #expect(zero.isMet(numerator: 0, denominator: 1))
        #expect(!zero.isMet(numerator: 1, denominator: 1000))
        #expect(Target.parse("=1") == nil)
        #expect(Target.parse(">=x") == nil)
        #expect(five.text == "<=0.05")
    }
}
