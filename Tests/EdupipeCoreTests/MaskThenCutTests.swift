import Testing
@testable import EdupipeStandard
@testable import EdupipeInput

/// A resident ID never survives a message, however it is typed and however
/// the message shortens it (issue "Nothing slips through", findings 2, 3).
private func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

@Suite struct MaskThenCutTests {
    /// A valid ID (check character 3) and its full-width twin.
    static let id = ValueParsers.withCheckCharacter("11010120100101001")
    static let wide = String(String.UnicodeScalarView(id.unicodeScalars.map { s in
        s.value >= 0x30 && s.value <= 0x39 ? Unicode.Scalar(s.value - 0x30 + 0xFF10)! : (s == "X" ? "\u{FF38}" : s)
    }))

    /// Whether 17 or more characters of the ID stand in `text` in a row.
    static func leaks(_ text: String, _ id: String = MaskThenCutTests.id) -> Bool {
        let t = Array(text.unicodeScalars), d = Array(id.unicodeScalars)
        for start in 0..<max(0, d.count - 16) {
            let needle = Array(d[start..<(start + 17)])
            if t.count >= 17 { for i in 0...(t.count - 17) where Array(t[i..<(i + 17)]) == needle { return true } }
        }
        return false
    }

    @Test func fullWidthDigitsAreMasked() {
        #expect(!Self.leaks(ResidentIDMask.scrub("学生 \(Self.wide) 已返校"), Self.wide))
        #expect(ResidentIDMask.scrub(Self.wide).unicodeScalars.filter { $0 == "*" }.count == 8)
        // Mixed ASCII and full-width, and a full-width X.
        let mixed = String(Self.id.prefix(9)) + String(Self.wide.dropFirst(9))
        #expect(!Self.leaks(ResidentIDMask.scrub(mixed), mixed))
        // A full-width check character Ｘ (and ｘ).
        let body = (0..<100).map { "110105200501010" + String(format2($0)) }.first { ValueParsers.withCheckCharacter($0).hasSuffix("X") }
        #expect(body != nil)
        if let body {
            for x in ["\u{FF38}", "\u{FF58}", "x"] {
                let typed = Self.toWide(body) + x
                let masked = ResidentIDMask.scrub("ID " + typed)
                #expect(masked != "ID " + typed, "\(x)")
                #expect(!Self.leaks(masked, typed))
            }
        }
        // Bytes (paths) too.
        var bytes = Array("dir/\(Self.wide).csv".utf8)
        #expect(ResidentIDMask.scrub(bytes: &bytes))
        #expect(!Self.leaks(String(decoding: bytes, as: UTF8.self), Self.wide))
        // Eight full-width digits became eight `*`: 16 bytes fewer, the
        // same number of characters (what FuzzName holds the mask to).
        #expect(bytes.count == Array("dir/\(Self.wide).csv".utf8).count - 16)
        #expect(String(decoding: bytes, as: UTF8.self).unicodeScalars.count == "dir/\(Self.wide).csv".unicodeScalars.count)
        // Not an ID (a wrong check character): left as it is.
        let wrong = String(Self.wide.dropLast()) + (Self.wide.hasSuffix("\u{FF11}") ? "\u{FF12}" : "\u{FF11}")
        #expect(ResidentIDMask.scrub(wrong) == wrong)
    }

    static func toWide(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { c in
            c.value >= 0x30 && c.value <= 0x39 ? Unicode.Scalar(c.value - 0x30 + 0xFF10)! : c
        }))
    }

    @Test(arguments: [0, 1, 10, 22, 23, 24, 30, 39])
    func anIDAtAnyOffsetIsMaskedBeforeTheCut(offset: Int) {
        for id in [Self.id, Self.wide] {
            let value = String(repeating: "a", count: offset) + id + "zz"
            let shown = ShownText.prepare(value)
            #expect(!Self.leaks(shown, id), "\(offset): \(shown)")
            #expect(shown.unicodeScalars.count <= 41)
            // Through a real message: a school_name of 100 characters at most.
            let raw = Array(value.utf8)
            let quoted = RecordChecker.show(String(decoding: raw, as: UTF8.self))
            #expect(!Self.leaks(quoted, id))
        }
    }

    @Test func aValueInARealFileNeverLeaks() {
        // The ID at character 23 of a class id (1..20 characters: E_RANGE
        // quotes the value); and a header cell; full-width too.
        for id in [Self.id, Self.wide] {
            let value = String(repeating: "b", count: 22) + id
            let text = Samples.csv(Samples.classHeader + ",\(value)", ["110101,1111010001,primary,1,\(value),45,x"])
            let r = Fixtures.validate("110101_class_size_2022-autumn.csv", text)
            #expect(r.log.firstError == .range)
            for issue in r.log.all {
                #expect(!Self.leaks(issue.message, id), "\(issue.message)")
                #expect(!Self.leaks(issue.column ?? "", id))
            }
        }
    }
}
