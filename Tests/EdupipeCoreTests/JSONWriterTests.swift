import Testing
@testable import EdupipeOutput

/// `JSONWriter` gathers bytes since it stopped building `String`s piece by
/// piece: the same text as the scalar-by-scalar writer it replaced.
@Suite struct JSONWriterTests {
    /// The quoting it replaced, scalar by scalar.
    static func referenceQuote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// `s` written as a JSON string value.
    static func quote(_ s: String) -> String {
        var w = JSONWriter()
        w.string(nil, s)
        return w.text
    }

    @Test func quotesAsTheScalarWriterDid() {
        let alphabet: [String] = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
            + ["\"", "\\", "a", "7", " ", "中", "文", "😀", "\u{7F}", "\u{2028}", "é", "\u{FFFD}"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let s = (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            #expect(Self.quote(s) == Self.referenceQuote(s), "\(Array(s.utf8))")
        }
        #expect(Self.quote("\u{1}\u{1F}\"\\\n\r\t") == "\"\\u0001\\u001f\\\"\\\\\\n\\r\\t\"")
        #expect(Self.quote("学校 \"一\"") == "\"学校 \\\"一\\\"\"")
    }

    @Test func numbersLiteralsAndNesting() {
        var w = JSONWriter()
        w.beginObject()
        w.int("min", Int.min)
        w.int("max", Int.max)
        w.int("zero", 0)
        w.int("minus", -40)
        w.int("none", nil)
        w.string("s", "x\ty")
        w.string("null", nil)
        w.bool("t", true)
        w.value("raw", "1.50")
        w.beginArray(key: "a")
        w.int(nil, 10)
        w.beginObject()
        w.bool("f", false)
        w.endObject()
        w.string(nil, "z")
        w.endArray()
        w.beginObject(key: "e")
        w.endObject()
        w.endObject()
        #expect(w.text == """
            {"min":-9223372036854775808,"max":9223372036854775807,"zero":0,"minus":-40,"none":null,"s":"x\\ty","null":null,\
            "t":true,"raw":1.50,"a":[10,{"f":false},"z"],"e":{}}
            """)
    }
}
